using Recipe.Diagnostics;
using Recipe.Reporting;

namespace Recipe.Regularization;

/// <summary>Stage 4 in report.html (the learning curve first, the ladder's experiments, the ablation) and in summary.json.</summary>
public static class Stage4Section
{
    public const string Folder = "regularize";
    public const string LearningCurvePicture = "regularize/learning-curve.png";

    public static void Write(HtmlReport report, Stage4Outcome r, string folder)
    {
        report.Heading("Stage 4: regularize (experiments on validation loss)");
        if (r.NotRun is { } why)
        {
            report.Paragraph($"Stage 4 ran no trial: {why}.");
            return;
        }
        if (r.LearningCurve is { } curve)
        {
            report.Heading("Learning curve: does more data beat tuning?", 3);
            var png = DiagnosticCharts.LearningCurve(curve);
            Directory.CreateDirectory(Path.Combine(folder, Folder));
            File.WriteAllBytes(Path.Combine(folder, LearningCurvePicture), png);
            report.Image(png, MistakesSection.LearningCurveSentence(curve));
        }
        else report.Paragraph($"Learning curve not measured: {r.LearningCurveSkipped}.", "muted");
        report.Heading("The ladder", 3);
        report.Paragraph($"Every trial trains at most {r.TrialSteps} steps with the same seed, stops when the whole validation split stops improving and keeps " +
                         $"the best weights. Baseline validation loss {r.Baseline!.Measurement.ValidationLoss:G4}; seed-to-seed σ {r.Noise!.Sigma:G3} over seeds " +
                         $"{string.Join(", ", r.Noise.Seeds)} (a difference within ±{r.Noise.Band:G3} is inconclusive). A change is kept only when confirmed.");
        if (r.LadderDeferred is { } deferred)
            report.Paragraph($"The ladder's regularizers were not tried: {deferred}. Each is left undecided (augmentations still passed their " +
                             "consistency check first); with --budget, `recipe run` trains the first of them as long as the final model (\"Full length\" below).");
        else if (r.TrialTooShortToOverfit)
            report.Paragraph($"The trials were too short to show overfitting: the baseline's validation loss had not stopped improving by its last step " +
                             $"({r.Baseline.Measurement.Steps} of at most {r.TrialSteps}), so a regularizer had no overfitting to remove; a refuted or inconclusive " +
                             "regularizer here says the model is under-trained at this length, not that it would not help a longer run.");
        report.Table(["#", "change", "prediction", "validation loss", "validation accuracy", "train loss", "time", "verdict", "kept", "why"], r.Experiments.Select(e =>
            (IReadOnlyList<string>)[e.Number.ToString(), e.Change, e.Prediction.ToString(),
                e.Skipped ? "—" : $"{e.Baseline:G4} → {e.Outcome:G4}",
                e.Measurement?.ValidationAccuracy is { } a ? a.ToString("P1") : "—",
                e.Measurement is { } m ? m.TrainLoss.ToString("G4") : "—",
                e.Measurement is { } t ? $"{t.Seconds:F1} s" : "—",
                Status(e), e.Kept ? "yes" : "no", e.Reason]));
        if (r.Undecided.Where(u => u.TrialValidationLoss is not null).ToList() is { Count: > 0 } tried)
            report.Paragraph($"Undecided: {string.Join("; ", tried.Select(u => $"{u.Change} (experiment {u.Experiment})"))} — not kept, but each one's validation loss " +
                             "was still at its lowest when its trial ended, so the trial could not show where it ends up. With --budget, `recipe run` trains the first " +
                             "of them as long as the final model once that is trained (\"Full length\" below).");
        if (r.Extended.Count > 0)
            report.Paragraph("Run again longer (" + string.Join("; ", r.Extended.Select(x =>
                                 $"experiment {x.Experiment}: {x.ShortValidationLoss:G4} after {x.ShortSteps} steps, still falling → {x.ValidationLoss:G4} after {x.Steps} of at most {x.StepLimit}, {x.Verdict.ToString().ToLowerInvariant()}")) +
                             "): each trial's step limit cut it while its validation loss was still falling and already below the best's, so it was judged on a trial " +
                             "long enough to show where it ends up." + (r.FinalTrialSteps != r.TrialSteps ? $" A kept one made every later trial as long ({r.FinalTrialSteps} steps)." : ""));
        var kept = r.Experiments.Where(e => e.Kept).Select(e => e.Change).ToList();
        report.Paragraph($"Path: stage 3's best{string.Concat(kept.Select(c => $" ⇒ {c}"))}. Best: {r.Best.Description} ({r.Best.Knobs}), validation loss {r.BestMeasurement!.ValidationLoss:G4}." +
                         (r.NotDeclared.Count > 0 ? $" Not declared by the pipeline, so not tried: {string.Join(", ", r.NotDeclared)}." : "") +
                         (r.Skipped.Count > 0 ? $" Not tried: {string.Join("; ", r.Skipped)}." : ""));
        if (r.Ablation.Count > 0)
        {
            report.Heading("Ablation: each kept change removed alone", 3);
            report.Table(["knob", "kept", "without", "validation loss with", "without it", "worth", "verdict"], r.Ablation.Select(a =>
                (IReadOnlyList<string>)[a.Knob, a.Kept, a.Without, a.WithLoss.ToString("G4"), a.WithoutLoss.ToString("G4"), a.Worth.ToString("G3"), a.Verdict.ToString().ToLowerInvariant()]));
        }
        else report.Paragraph("No change was kept, so there is nothing to ablate.", "muted");
    }

    static string Status(Experiments.Experiment e) =>
        e.Skipped ? (e.Reason.StartsWith("Refused", StringComparison.Ordinal) ? "refused" : e.Reason.StartsWith("Not tried, undecided", StringComparison.Ordinal) ? "undecided" : "skipped")
                  : e.Verdict!.Value.ToString().ToLowerInvariant();

    /// <summary>summary.json's "regularize" entry (the experiments themselves are in "experiments", stage "regularize").</summary>
    public static object ToSummary(Stage4Outcome r) => new
    {
        r.NotRun,
        r.TrialSteps,
        r.FinalTrialSteps,
        r.Extended,
        r.TrialTooShortToOverfit,
        r.LadderDeferred,
        BaselineValidationLoss = r.Baseline?.Measurement.ValidationLoss,
        NoiseSeeds = r.Noise?.Seeds,
        NoiseValues = r.Noise?.Values,
        NoiseSigma = r.Noise?.Sigma,
        BestValidationLoss = r.BestMeasurement?.ValidationLoss,
        BestValidationAccuracy = r.BestMeasurement?.ValidationAccuracy,
        BestPipeline = r.Best.Description,
        BestKnobs = r.Best.Knobs.ToDictionary(),
        Kept = r.Experiments.Where(e => e.Kept).Select(e => e.Number),
        Undecided = r.Undecided.Select(u => u.Experiment),
        r.NotDeclared,
        r.Skipped,
        LearningCurve = r.LearningCurve is { } lc ? LearningCurveSummary.Of(lc) with { Picture = LearningCurvePicture } : null,
        r.LearningCurveSkipped,
        r.Ablation,
        r.Seconds,
    };
}
