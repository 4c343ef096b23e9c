using Recipe.Checks;
using Recipe.Data;
using Recipe.Reporting;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>The report of `recipe run`, built section by section as the stages finish.</summary>
public sealed class RunReport
{
    readonly HtmlReport _report;
    readonly Dictionary<string, IReadOnlyList<string>> _pictures = new();

    public RunReport(Dataset data, RunOptions options)
    {
        _report = new HtmlReport($"Recipe run: {data.Name}");
        _report.Paragraph($"Data: {data.Source} ({data.Format}, {data.Task}); seed {options.Seed}.");
        if (options.InitFrom is { } initFrom) _report.Paragraph($"Weights: training starts from {initFrom} (--init-from); model.json records it.");
        _report.Heading("Data");
        _report.Table(["split", "examples"], data.Splits.Select(s => (IReadOnlyList<string>)[s.Name, s.Count.ToString()]));
        foreach (var note in data.Notes) _report.Paragraph(note, "muted");
        if (data.Train.Inputs.dtype == uint8)
        {
            using var first = data.Test.Inputs.narrow(0, 0, Math.Min(64, data.Test.Count));
            _report.Image(ImageGrid.Render(first, columns: 16, scale: 2), "The first 64 test images as stored.");
        }
    }

    /// <summary>Stage 1: the ranked findings; the full audit is in inspect/report.html.</summary>
    public void Findings(Inspect.InspectOutcome inspection)
    {
        _report.Heading("Stage 1: the data, inspected");
        _report.Paragraph($"{inspection.Findings.Count} findings ({string.Join(", ", inspection.Findings.GroupBy(f => f.Kind).Select(g => $"{g.Key} {g.Count()}"))}). " +
                          "Galleries, statistics, duplicates and outliers as pictures: inspect/report.html beside this file.");
        _report.Table(["kind", "split", "examples", "finding"], Inspect.Finding.Ranked(inspection.Findings).Take(20).Select(f =>
            (IReadOnlyList<string>)[f.Kind, f.Split, f.Count.ToString(), f.Message]));
    }

    public IReadOnlyList<string> PicturesOf(string checkId) => _pictures.GetValueOrDefault(checkId) ?? [];

    /// <summary>Stage 2: the checks, most urgent first, with their evidence (pictures saved under checks/).</summary>
    public void Checks(Stage2Outcome checks, string folder)
    {
        foreach (var check in checks.Checks) _pictures[check.Id] = CheckSection.SavePictures(check, folder);
        _report.Heading("Stage 2: the training skeleton, checked");
        _report.Paragraph($"Pipeline: {checks.Pipeline}.");
        _report.CheckOverview(checks.Checks);
        _report.Heading("Dumb baselines (whole validation split)", 3);
        _report.Table(["metric", "value"], checks.Metrics.Select(m => (IReadOnlyList<string>)[m.Key, m.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)]));
        _report.Details("Evidence of every check");
        _report.CheckDetails(checks.Checks);
        _report.EndDetails();
    }

    /// <summary>Why the run stopped before training.</summary>
    public void Stopped(Stage2Outcome checks)
    {
        _report.Heading("Stopped: a blocking check did not pass");
        foreach (var check in checks.Stopping)
            _report.Verdict(check.Verdict.Name(), $"{check.Id}: {check.Finding}" + (check.Advice is { } advice ? $" Advice: {advice}" : ""));
        _report.Paragraph("No model was trained: fix the pipeline and run again.");
    }

    /// <summary>Training and whole-split evaluation of the checked pipeline.</summary>
    public void Training(string modelName, TrainingConfig config, TrainingStory story, EvaluationResult validation, EvaluationResult test,
        IReadOnlyList<RegressionMetrics> regression, CheckResult? baselines)
    {
        var training = story.Result;
        _report.Heading("Training");
        var length = config.EvaluateEverySteps is { } every
            ? $"until validation stopped improving (whole validation split every {every} steps; step budget {story.BudgetSteps}" +
              (story.BudgetExtensions > 0 ? $", extended {story.BudgetExtensions}×" : "") + ")"
            : $"{config.Epochs} epochs";
        _report.Paragraph($"Model {modelName}; Adam lr {config.LearningRate}, constant; batch {config.BatchSize}; {length}: " +
                          $"{training.Steps} steps in {story.EpochsRun} epochs, {training.Elapsed.TotalSeconds:F1} s. Stopped: {story.StopReason}.");
        _report.Table(["split", "examples", "loss", "accuracy"], new[] { validation, test }.Select(r =>
            (IReadOnlyList<string>)[r.Split, r.Examples.ToString(), r.Loss.ToString("F4"), r.Accuracy is { } a ? a.ToString("P2") : "n/a"]));
        if (regression.Count > 0)
        {
            _report.Paragraph("The loss is the mean squared error on standardized targets; in the target's own units:", "muted");
            _report.Table(["split", "RMSE", "MAE", "R²"], regression.Select(r =>
                (IReadOnlyList<string>)[r.Split, r.Rmse.ToString("G4"), r.Mae.ToString("G4"), r.R2.ToString("F3")]));
        }
        if (baselines is not null) _report.Verdict(baselines.Verdict.Name(), CheckHeadline.Outcome(baselines));
        var steps = Enumerable.Range(1, training.StepLosses.Count).Select(i => (double)i).ToArray();
        _report.Image(Charts.Lines("training loss per step", "step", "loss", [("train (batch)", steps, training.StepLosses.ToArray())]),
            "Loss of every training step (batch losses, unsmoothed).");
        var evaluated = training.Validations;
        var trained = training.Epochs.Where(e => e.Epoch > 0).ToArray();
        if (evaluated.Count > 0)
            _report.Image(Charts.Lines("validation loss", "step", "loss",
                [("validation (whole split)", evaluated.Select(e => (double)e.Step).ToArray(), evaluated.Select(e => e.Result.Loss).ToArray()),
                 ("train (mean of the epoch's batches)", trained.Select(e => (double)e.Step).ToArray(), trained.Select(e => e.MeanTrainLoss).ToArray())]),
                "Validation loss over the whole validation split at initialisation (step 0) and at every evaluation, beside each epoch's mean training loss." +
                (story.RestoredStep is { } restored ? $" The weights of step {restored} (lowest validation loss) were kept." : ""));
    }

    /// <summary>Stage 3 did not run, and why.</summary>
    public void OverfitSkipped(string reason)
    {
        _report.Heading("Stage 3: overfit (experiments)");
        _report.Paragraph(reason);
    }

    /// <summary>Stage 3: the experiment log as a table, the path from the skeleton to the best pipeline, and the capacity-ladder picture.</summary>
    public void Overfit(Stage3Outcome overfit, IReadOnlyList<Experiments.Experiment> log, string folder, string learningRatePicture)
    {
        _report.Heading("Stage 3: overfit (experiments)");
        _report.Paragraph($"Every trial trains {overfit.TrialSteps} steps with the same seed; the training loss is measured on a fixed sample of " +
                          $"{Experiments.Trial.TrainSampleSize} training examples after the last step; the validation loss is the lowest of the trial's " +
                          "whole-split evaluations, the weights early stopping would keep (a pipeline that learns faster is not blamed for overfitting " +
                          $"within the trial). Baseline {overfit.Baseline.TrainLoss:G4}; " +
                          $"seed-to-seed noise σ {overfit.Noise.Sigma:G3} over seeds {string.Join(", ", overfit.Noise.Seeds)} " +
                          $"(a difference within ±{overfit.Noise.Band:G3} is inconclusive). Near the floor: training loss ≤ {overfit.FloorThreshold:G3} " +
                          $"(a fraction of the loss at init, {overfit.LossAtInit:G4}). " +
                          $"A candidate the first trial cannot decide gets a second trial of {overfit.LongerTrialSteps} steps beside the best; " +
                          "a rung that does not help moves the climb to the next architecture.");
        _report.Table(["#", "change", "prediction", "train loss", "validation loss", "time", "verdict", "kept", "why"], log.Select(e =>
            (IReadOnlyList<string>)[e.Number.ToString(), e.Change, e.Prediction.ToString(),
                e.Skipped ? "—" : $"{e.Baseline:G4} → {e.Outcome:G4}", e.Measurement is { } m ? TrialValidationCell(m) : "—",
                e.Measurement is { } t ? $"{t.Seconds:F1} s" : "—", e.Skipped ? "skipped" : e.Verdict!.Value.ToString().ToLowerInvariant(), e.Kept ? "yes" : "no", e.Reason]));
        var kept = log.Where(e => e.Kept).Select(e => e.Change).ToList();
        _report.Paragraph($"Path of the best pipeline: skeleton{string.Concat(kept.Select(c => $" ⇒ {c}"))}. Best: {overfit.Best.Description}. " +
                          $"Stopped: {overfit.StopReason}." + (overfit.Skipped.Count > 0 ? $" Not tried: {string.Join("; ", overfit.Skipped)}." : ""));
        if (File.Exists(Path.Combine(folder, learningRatePicture)))
            _report.Image(File.ReadAllBytes(Path.Combine(folder, learningRatePicture)),
                "Learning-rate range test: smoothed training loss as the rate grows exponentially from a fresh model; the suggestion (a tenth of the rate at the lowest loss) is tried as an experiment and kept only if it wins.");
        var rungs = Enumerable.Range(0, overfit.Ladder.Count).Select(i => (double)i).ToArray();
        var png = Charts.Lines("capacity ladder: loss per rung", "rung (" + string.Join(", ", overfit.Ladder.Select((p, i) => $"{i} {p.Rung}")) + ")", "loss",
            [("train (fixed sample)", rungs, overfit.Ladder.Select(p => p.TrainLoss).ToArray()),
             ("validation (whole split)", rungs, overfit.Ladder.Select(p => p.ValidationLoss).ToArray())]);
        Directory.CreateDirectory(Path.Combine(folder, "overfit"));
        File.WriteAllBytes(Path.Combine(folder, "overfit", "capacity-ladder.png"), png);
        _report.Image(png, "Training loss of each rung tried after the same number of steps, and the lowest validation loss of its trial (rung 0 is the skeleton).");
    }

    /// <summary>"0.2414 (step 3,200; last 0.2716)": the trial's lowest validation loss, where, and what the last step's weights scored.</summary>
    static string TrialValidationCell(Experiments.TrialMeasurement m) =>
        m.ValidationStep is { } step && m.LastValidationLoss is { } last && step < m.Steps
            ? $"{m.ValidationLoss:G4} (step {step:N0}; last {last:G4})"
            : m.ValidationLoss.ToString("G4");

    /// <summary>Stage 3 as fine-tuning: where the weights came from, what they are worth at the start, and the learning-rate experiments.</summary>
    public void FineTune(FineTuneOutcome tune, string folder, string learningRatePicture)
    {
        _report.Heading("Stage 3: fine-tuning (experiments)");
        _report.Paragraph($"Every trial starts from the weights of {tune.Source} (--init-from) and trains {tune.TrialSteps} steps. Training loss before any step: " +
                          $"{tune.PretrainedLossAtInit:G4} with these weights, {tune.ScratchLossAtInit:G4} from a fresh initialization of the same model. " +
                          $"Baseline after the trial: training {tune.Baseline.TrainLoss:G4}, validation {tune.Baseline.ValidationLoss:G4}; seed-to-seed σ of the " +
                          $"validation loss {tune.ValidationNoise.Sigma:G3} over seeds {string.Join(", ", tune.ValidationNoise.Seeds)} (the seeds change the data order only).");
        _report.Table(["#", "change", "prediction", "validation loss", "train loss", "time", "verdict", "kept", "why"], tune.Experiments.Select(e =>
            (IReadOnlyList<string>)[e.Number.ToString(), e.Change, e.Prediction.ToString(),
                e.Skipped ? "—" : $"{e.Baseline:G4} → {e.Outcome:G4}", e.Measurement is { } m ? m.TrainLoss.ToString("G4") : "—",
                e.Measurement is { } t ? $"{t.Seconds:F1} s" : "—", e.Skipped ? "skipped" : e.Verdict!.Value.ToString().ToLowerInvariant(), e.Kept ? "yes" : "no", e.Reason]));
        _report.Paragraph($"The final training starts from the same weights at learning rate {tune.LearningRate:G3}. Not tried: {string.Join("; ", tune.Skipped)}.");
        if (File.Exists(Path.Combine(folder, learningRatePicture)))
            _report.Image(File.ReadAllBytes(Path.Combine(folder, learningRatePicture)),
                "Learning-rate range test from the pretrained weights: smoothed training loss as the rate grows exponentially.");
    }

    /// <summary>Stage 4: the learning curve, the regularization ladder and the ablation (<see cref="Regularization.Stage4Section"/>).</summary>
    public void Regularize(Regularization.Stage4Outcome regularize, string folder) => Regularization.Stage4Section.Write(_report, regularize, folder);

    /// <summary>Stage 4 did not run, and why.</summary>
    public void RegularizeSkipped(string reason)
    {
        _report.Heading("Stage 4: regularize (experiments on validation loss)");
        _report.Paragraph(reason);
    }

    /// <summary>Which of the default and the linear model the run kept, and why (<see cref="SimplerModelChoice"/>).</summary>
    public void ModelChoice(string explanation) => _report.Paragraph(explanation);

    /// <summary>The ensemble of the members the unused time afforded, against the first model (<see cref="EnsembleChoice"/>).</summary>
    public void Ensemble(EnsembleOutcome ensemble, string afforded)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        _report.Heading("Ensemble: the budget's unused time, spent on more seeds");
        string how = ensemble.Members.Any(m => m.Change is not null)
            ? "a member named by its change is the full-length trial's other model (same seed, the other pipeline); any other is the first model's pipeline with its own seed"
            : "each trained like the first model with its own seed";
        _report.Paragraph($"The time left afforded {afforded}: {how}. " +
                          $"Prediction: {ensemble.Experiment.Prediction}, beyond the noise of that gain on these validation examples (σ of the paired per-example difference {ensemble.Sigma:G3}). " +
                          $"Verdict: {ensemble.Verdict.ToString().ToLowerInvariant()}. {ensemble.Experiment.Reason}");
        string Accuracy(double? a) => a is { } value ? value.ToString("P2", invariant) : "n/a";
        _report.Table(["model", "seed", "steps", "training", "validation loss", "validation accuracy"],
            ensemble.Members.Select((m, i) => (IReadOnlyList<string>)[(i == 0 ? "first model" : $"member {i + 1}") + (m.Change is null ? "" : $" ({m.Change})"), m.Seed.ToString(invariant), m.Steps.ToString(invariant),
                $"{m.Seconds:F1} s", m.ValidationLoss.ToString("F4", invariant), Accuracy(m.ValidationAccuracy)])
            .Append([$"ensemble of {ensemble.Members.Count}" + (ensemble.Kept ? " (kept)" : " (not kept)"), "—", "—", $"{ensemble.Seconds:F1} s in all",
                ensemble.ValidationLoss.ToString("F4", invariant), Accuracy(ensemble.ValidationAccuracy)]));
    }

    /// <summary>The final model asked about shifted copies of each image, against it alone (<see cref="TestTimeShiftStage"/>).</summary>
    public void TestTimeShifts(TestTimeShiftOutcome outcome)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        _report.Heading("Test-time shifts: the model's answers over shifted copies of each image");
        _report.Paragraph($"The final model was trained on shifted images, so it was also asked about {outcome.Views} copies of each validation image " +
                          $"(shifted by 0 or ±{outcome.Step} px along each axis{(outcome.Mirror ? ", each also mirrored" : "")}) and their probabilities averaged. " +
                          $"Prediction: validation loss lower by ≥ 1 %, beyond the noise of that gain on these examples (σ {outcome.Sigma:G3}). " +
                          $"Verdict: {outcome.Verdict.ToString().ToLowerInvariant()}; {(outcome.Kept ? "kept: model.json records the copies and `recipe predict` makes them" : "not kept")}.");
        string Accuracy(double? a) => a is { } value ? value.ToString("P2", invariant) : "n/a";
        _report.Table(["model", "validation loss", "validation accuracy"],
        [
            ["alone", outcome.ValidationLoss.ToString("F4", invariant), Accuracy(outcome.ValidationAccuracy)],
            [$"mean over {outcome.Views} copies" + (outcome.Kept ? " (kept)" : " (not kept)"), outcome.ShiftedValidationLoss.ToString("F4", invariant), Accuracy(outcome.ShiftedValidationAccuracy)],
        ]);
    }

    /// <summary>The regularizer stage 4 left undecided, trained as long as the final model (<see cref="FullLengthTrialStage"/>).</summary>
    public void FullLength(Experiments.Experiment experiment, Regularization.UndecidedRegularizer undecided, double seconds, string stopReason)
    {
        _report.Heading("Full length: the regularizer stage 4 could not judge");
        string why = undecided.TrialValidationLoss is { } trialLoss
            ? $"Stage 4's trial of {undecided.Change} (experiment {undecided.Experiment}, validation loss {trialLoss:G4}) ended while still improving, so it was trained again"
            : $"Stage 4 left {undecided.Change} untried (experiment {undecided.Experiment}: its baseline was not shown to overfit), so it was trained";
        _report.Paragraph($"{why} like the final model ({experiment.Measurement!.Steps} steps, {seconds:F1} s; stop: {stopReason}). " +
                          $"Prediction: {experiment.Prediction}, beyond stage 4's seed-to-seed noise (σ {experiment.NoiseSigma:G3}). " +
                          $"Verdict: {experiment.Verdict.ToString()!.ToLowerInvariant()}. {experiment.Reason}");
    }

    /// <summary>The undecided regularizer was not trained at full length, and why.</summary>
    public void FullLengthSkipped(string reason) => _report.Paragraph($"Full length: {reason}.", "muted");

    /// <summary>The ensemble was not tried, and why.</summary>
    public void EnsembleSkipped(string reason) => _report.Paragraph($"Ensemble: not tried — {reason}.", "muted");

    /// <summary>Stage 4's diagnostics of the final model (pictures inline; suspected_labels.csv into <paramref name="folder"/> when searched).</summary>
    public void Mistakes(Diagnostics.MistakesReport mistakes, Dataset data, string folder)
    {
        MistakesSection.Write(_report, mistakes);
        MistakesSection.SaveFiles(mistakes, data, folder);
    }

    /// <summary>Where the run's time went, phase by phase (summary.json's timings_seconds adds writing the report).</summary>
    public void Timings(PhaseClock phases) => _report.Paragraph($"Time: {phases}.", "muted");

    public void Save(string path) => _report.Save(path);
}
