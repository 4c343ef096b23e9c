using System.Globalization;
using Recipe.Data;
using Recipe.Diagnostics;

namespace Recipe.Reporting;

/// <summary>
/// The report section and the summary.json entry ("mistakes") of <see cref="MistakesDiagnosis"/>: the pictures a
/// person would rather see than read — confusion matrix, the highest-loss gallery, residuals, samples, filters,
/// activations, train and validation curves — and, when they ran, suspected labels and the learning curve.
/// </summary>
public static class MistakesSection
{
    /// <summary>The file of suspected label errors, beside report.html.</summary>
    public const string SuspectedLabelsFile = "suspected_labels.csv";

    public static void Write(HtmlReport report, MistakesReport m)
    {
        report.Heading($"The model's mistakes ({m.Split} split)");
        if (m.Training is { Validations.Count: > 0 } training)
            report.Image(DiagnosticCharts.TrainAndValidation(training), "Training and validation loss of the final model on one plot: a gap that widens is overfitting, two curves that stay high together are underfitting.");
        if (m.Confusion is { } confusion)
        {
            report.Image(DiagnosticCharts.Confusion(confusion), $"Confusion matrix on {confusion.Total} {m.Split} examples (accuracy {confusion.Accuracy:P2}): rows are the given labels, columns the predictions.");
            report.Table(["given", "predicted as", "examples", "share of the class"], confusion.TopConfusions(8).Select(c =>
                (IReadOnlyList<string>)[c.Given, c.Predicted, c.Count.ToString(CultureInfo.InvariantCulture), c.ShareOfGiven.ToString("P1", CultureInfo.InvariantCulture)]));
        }
        if (m.Residuals is { } residuals)
        {
            report.Image(DiagnosticCharts.PredictedVsTrue(residuals), "Predicted against true on the validation split, in the target's units; the dashed line is a perfect model.");
            report.Heading("Largest residuals", 3);
            report.Table(["example", "true", "predicted", "error"], residuals.Largest.Take(15).Select(r =>
                (IReadOnlyList<string>)[Describe(m, r.Index), r.Target.ToString("G4", CultureInfo.InvariantCulture), r.Predicted.ToString("G4", CultureInfo.InvariantCulture), r.Error.ToString("+0.###;-0.###", CultureInfo.InvariantCulture)]));
        }
        if (m.Task != TaskKind.Regression) Gallery(report, m.HighestLossGallery, $"The {m.HighestLossGallery.Items.Count} highest-loss {m.Split} examples (given→predicted): the model's worst mistakes, or wrong labels.");
        if (m.Samples.Count > 0)
        {
            report.Heading("Lines sampled from the model", 3);
            report.Code(string.Join("\n", m.Samples));
        }
        if (m.TokenMistakes.Count > 0)
        {
            report.Heading("The most surprising tokens", 3);
            report.Table(["line", "position", "expected", "model's guess", "loss (nats)"], m.TokenMistakes.Take(20).Select(t =>
                (IReadOnlyList<string>)[t.Text, t.Position.ToString(CultureInfo.InvariantCulture), Visible(t.Expected), Visible(t.Predicted), t.Loss.ToString("F2", CultureInfo.InvariantCulture)]));
        }

        report.Heading("Inside the model", 3);
        if (m.Filters is { } filters)
            report.Image(filters, $"The first convolution's {m.FilterCount} filters (grey = 0; each stretched on its own). Trained filters look like edges and blobs; " +
                                  $"noise means the layer learned little. Neighbouring-weight cosine {m.FilterSmoothness:F2} (≈0 for noise, higher for edges and blobs).");
        if (m.Activations.Count > 0)
        {
            report.Image(DiagnosticCharts.Activations(m.Activations), "Each computing layer's outputs over a probe batch of validation examples (before the activation function), in the first trained model: an ensemble's members share its layers.");
            report.Table(["layer", "kind", "units", "dead units", "mean", "std"], m.Activations.Select(a =>
                (IReadOnlyList<string>)[a.Layer, a.Kind, a.Units.ToString(CultureInfo.InvariantCulture), $"{a.DeadUnits} ({a.DeadFraction:P1})", a.Mean.ToString("G3", CultureInfo.InvariantCulture), a.Std.ToString("G3", CultureInfo.InvariantCulture)]));
            report.Paragraph("A dead unit is never positive on any probe example: behind a ReLU it outputs 0 for everything and gets no gradient.", "muted");
        }

        if (m.LabelErrors is { } labels)
        {
            report.Heading("Suspected label errors (confident learning)", 3);
            report.Paragraph($"{labels.Suspects.Count} of {labels.OutOfSample.Count} training examples ({labels.Suspects.Count / (double)Math.Max(1, labels.OutOfSample.Count):P2}) have out-of-sample probabilities that confidently point at another class " +
                             $"({labels.Folds} folds, {labels.StepsPerFold} steps each, out-of-sample accuracy {labels.OutOfSampleAccuracy:P1}, {labels.Elapsed.TotalSeconds:F0} s). Listed in {SuspectedLabelsFile}; look at them and go back to stage 1 with evidence.");
            if (!labels.Reliable)
                report.Verdict("warn", $"The folds' models reached {labels.OutOfSampleAccuracy:P1} out of sample, not clearly above the most common label's share ({labels.MajorityShare:P1}): " +
                                       "their disagreement with a label means little, so these suspects are mostly noise.");
            if (m.SuspectGallery is { } suspects) Gallery(report, suspects, "The most contradicted training labels (given→suspected).");
        }
        else if (m.Task == TaskKind.Classification)
            report.Paragraph("Suspected label errors were not searched for (k-fold confident learning trains extra models; opt-in: MistakesOptions.LabelErrors).", "muted");
        if (m.LearningCurve is { } curve)
        {
            report.Heading("Learning curve", 3);
            report.Image(DiagnosticCharts.LearningCurve(curve), LearningCurveSentence(curve));
        }
        report.Paragraph($"Diagnostics time: {string.Join(", ", m.Seconds.Select(s => $"{s.Key} {s.Value:F1} s"))}.", "muted");
    }

    /// <summary>Writes suspected_labels.csv when the label-error search ran; returns the files written (relative to <paramref name="folder"/>).</summary>
    public static IReadOnlyList<string> SaveFiles(MistakesReport m, Dataset data, string folder)
    {
        if (m.LabelErrors is not { } labels) return [];
        labels.WriteCsv(Path.Combine(folder, SuspectedLabelsFile), data.Split(labels.Split));
        return [SuspectedLabelsFile];
    }

    /// <summary>summary.json's "mistakes" entry.</summary>
    public static object ToSummary(MistakesReport m) => new
    {
        m.Split,
        ConfusionMatrix = m.Confusion is not { } c ? null : new
        {
            Classes = c.ClassNames,
            Counts = Enumerable.Range(0, c.ClassNames.Count).Select(g => Enumerable.Range(0, c.ClassNames.Count).Select(p => c.Counts[g, p]).ToArray()).ToArray(),
            c.Accuracy,
            TopConfusions = c.TopConfusions(10),
        },
        HighestLoss = m.HighestLoss.Zip(m.HighestLossGallery.Items, (x, item) => new
        {
            x.Index, Example = item.Description, x.Loss,
            Given = x.Given is { } g ? m.ClassNames[(int)g] : null, Predicted = x.Predicted is { } p ? m.ClassNames[(int)p] : null,
            x.GivenProbability, x.PredictedProbability,
        }),
        LargestResiduals = m.Residuals?.Largest.Select(r => new { r.Index, True = r.Target, r.Predicted, r.Error }),
        Samples = m.Samples.Count == 0 ? null : m.Samples,
        HighestLossTokens = m.TokenMistakes.Count == 0 ? null : m.TokenMistakes.Select(t => new { t.Line, t.Position, t.Text, Expected = t.Expected.ToString(), Predicted = t.Predicted.ToString(), t.Loss }),
        Layers = m.Activations.Select(a => new { a.Layer, a.Kind, a.Units, a.DeadUnits, a.DeadFraction, a.Mean, a.Std }),
        FirstLayerFilters = m.Filters is null ? null : new { Count = m.FilterCount, NeighbourCosine = m.FilterSmoothness },
        SuspectedLabels = m.LabelErrors is not { } l ? null : new
        {
            File = SuspectedLabelsFile, l.Split, Count = l.Suspects.Count, Examples = l.OutOfSample.Count, l.Folds, l.StepsPerFold,
            l.OutOfSampleAccuracy, l.MajorityShare, l.Reliable, Thresholds = l.Thresholds, Seconds = Math.Round(l.Elapsed.TotalSeconds, 1),
        },
        LearningCurve = m.LearningCurve is { } lc ? LearningCurveSummary.Of(lc) : null,
        Seconds = m.Seconds,
    };

    /// <summary>What twice the data would buy, in a sentence under the learning-curve picture.</summary>
    public static string LearningCurveSentence(LearningCurveReport curve)
    {
        string trainings = $"{curve.Points.Count} trainings" + (curve.Reused > 0 ? $", {curve.Reused} of them the baseline's own trials" : "");
        string cut = curve.Cut is { } c ? $" Cut short for time: {c}." : "";
        return curve.TwiceTheData is not { } t
            ? $"Learning curve: {trainings}; no power law fits these points.{cut}"
            : $"Learning curve ({trainings}, {curve.Elapsed.TotalSeconds:F0} s): {curve.ErrorName} ≈ {curve.Estimate!.Fit.Scale:G3} · n^-{curve.Estimate.Fit.Exponent:F2} " +
              $"(exponent {curve.Estimate.ExponentQuantile(0.1):F2}–{curve.Estimate.ExponentQuantile(0.9):F2}). At {curve.TrainCount} examples the fit says {t.Now:G3}; " +
              $"twice the data would give {t.Doubled:G3} ({t.DoubledLow:G3}–{t.DoubledHigh:G3}, 10–90 % bootstrap band).{cut}";
    }

    static void Gallery(HtmlReport report, MistakeGallery gallery, string caption)
    {
        if (gallery.Items.Count == 0) return;
        if (gallery.Thumbnails is { } png) report.Image(png, caption);
        else report.Paragraph(caption);
        report.Details($"The {gallery.Items.Count} examples, with where they come from");
        report.Table(["index", "given→predicted", "example"], gallery.Items.Select(i =>
            (IReadOnlyList<string>)[i.Index.ToString(CultureInfo.InvariantCulture), i.Caption, i.Description]));
        report.EndDetails();
    }

    static string Describe(MistakesReport m, int index) =>
        m.HighestLossGallery.Items.FirstOrDefault(i => i.Index == index)?.Description ?? $"#{index}";

    static string Visible(char c) => c switch { '\n' => "\\n", ' ' => "(space)", '\t' => "\\t", _ => c.ToString() };
}
