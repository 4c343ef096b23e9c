using Recipe.Reporting;

namespace Recipe.Stages;

/// <summary>The end of every run, whichever stage it stopped after: the report, summary.json, and the folder made final.</summary>
public static class RunSummary
{
    public static void Finish(RunContext context)
    {
        var (options, report, phases, output, checks, training, inspection) =
            (context.Options, context.Report, context.Phases, context.Output, context.Checks, context.Training, context.Inspection);
        var config = context.Pipeline.Training;
        var scale = context.Pipeline.TargetScale;
        report.Timings(phases); // the phases so far; writing the report and the weights is booked to "report" after
        report.Save(output.PathOf("report.html"));
        phases.Lap("report");
        Summary.Save(output.PathOf("summary.json"), new
        {
            context.Command,
            Data = options.Data,
            Seed = options.Seed,
            Model = context.Pipeline.Knobs.Declares(Checks.DefaultKnobs.Model) ? context.Pipeline.Knobs[Checks.DefaultKnobs.Model] : null,
            Knobs = context.Pipeline.Knobs.ToDictionary(),
            Dataset = DatasetSummary.Of(context.Data),
            Findings = inspection is null ? null : new
            {
                Count = inspection.Findings.Count,
                ByKind = inspection.Findings.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count()),
                Report = "inspect/report.html",
                Summary = "inspect/summary.json",
            },
            Stopped = checks?.Stops ?? false,
            StoppedBy = checks?.Stopping.Select(c => c.Id) ?? [],
            Checks = checks?.Checks.Select(c => CheckSection.ToSummary(c, report.PicturesOf(c.Id))),
            StagesSkipped = context.StagesSkipped.Count == 0 ? null : context.StagesSkipped,
            Overfit = context.Overfit is not { } overfit ? null : new
            {
                overfit.TrialSteps,
                overfit.LossAtInit,
                overfit.FloorThreshold,
                overfit.NearFloor,
                FloorRule = "training loss at most NearFloorFraction of the loss at init (fixed sample of the training split, eval mode)",
                ValidationRule = "a trial's validation loss is the lowest of its whole-split evaluations (what early stopping would keep), its training loss the last step's",
                BaselineTrainLoss = overfit.Baseline.TrainLoss,
                NoiseSeeds = overfit.Noise.Seeds,
                NoiseValues = overfit.Noise.Values,
                NoiseSigma = overfit.Noise.Sigma,
                BestTrainLoss = overfit.BestMeasurement.TrainLoss,
                BestValidationLoss = overfit.BestMeasurement.ValidationLoss,
                BestPipeline = overfit.Best.Description,
                BestKnobs = overfit.Best.Knobs.ToDictionary(),
                overfit.StopReason,
                overfit.StopRule,
                overfit.LongerTrialSteps,
                ValidationNoiseSigma = overfit.ValidationNoise?.Sigma,
                overfit.Skipped,
                overfit.Ladder,
                overfit.Seconds,
                Picture = "overfit/capacity-ladder.png",
                LearningRatePicture = File.Exists(output.PathOf(OverfitStage.LearningRatePicture)) ? OverfitStage.LearningRatePicture : null,
            },
            FineTune = context.FineTune is not { } tune ? null : new
            {
                tune.Source, tune.TrialSteps, tune.ScratchLossAtInit, tune.PretrainedLossAtInit,
                BaselineTrainLoss = tune.Baseline.TrainLoss, BaselineValidationLoss = tune.Baseline.ValidationLoss,
                ValidationNoiseSigma = tune.ValidationNoise.Sigma, BestValidationLoss = tune.BestMeasurement.ValidationLoss,
                tune.LearningRate, tune.Skipped, tune.Seconds,
            },
            Regularize = context.Regularize is null ? null : Regularization.Stage4Section.ToSummary(context.Regularize),
            Experiments = context.Experiments.ToSummary(),
            Training = training is null ? null : new
            {
                Pipeline = context.Pipeline.Description, // what was trained, in words: model, optimizer, regularizers, input
                Epochs = training.EpochsRun, config.BatchSize, config.LearningRate, Optimizer = "adam", training.Result.Steps, training.StopReason,
                training.StopKind, training.BudgetSteps, training.BudgetExtensions, training.BestStep, training.RestoredStep,
                ValidationEverySteps = config.EvaluateEverySteps, Validations = training.Result.Validations.Count,
                WallClockBudgetSeconds = options.Budget?.TotalSeconds,
                Seconds = Math.Round(training.Result.Elapsed.TotalSeconds, 1),
                TargetScale = scale is null ? null : new { scale.Mean, scale.Std },
            },
            ModelChoice = context.ModelChoice is not { } choice ? null : new
            {
                Kept = choice.Decision.KeepRicher ? "trained" : "linear", choice.Rule,
                LinearValidationLoss = choice.Decision.SimplerLoss, TrainedValidationLoss = choice.Decision.RicherLoss,
                choice.Decision.StandardError, choice.Decision.Examples, LinearSteps = choice.Linear.Story.Result.Steps,
                LinearErrors = choice.Decision.Errors?.Simpler, TrainedErrors = choice.Decision.Errors?.Richer,
            },
            Ensemble = context.Ensemble is not { } ensemble ? null : new
            {
                Members = ensemble.Members, ensemble.ValidationLoss, ensemble.ValidationAccuracy, FirstValidationLoss = ensemble.FirstValidationLoss,
                ensemble.Sigma, ensemble.Verdict, ensemble.Kept, ensemble.Seconds,
                Weights = ensemble.Kept ? Interop.ModelCard.EnsembleWeights : null,
            },
            TestTimeShifts = context.TestTimeShifts,
            Mistakes = context.Mistakes is null ? null : MistakesSection.ToSummary(context.Mistakes),
            Metrics = context.Metrics,
            TimingsSeconds = phases.Seconds,
            Artifacts = new
            {
                Report = "report.html", Weights = training is null ? null : "model.bin", Pictures = checks is null ? null : "checks/",
                Inspection = inspection is null ? null : "inspect/", Overfit = context.Overfit is null ? null : "overfit/",
                Regularize = context.Regularize?.LearningCurve is null ? null : Regularization.Stage4Section.Folder + "/",
                SuspectedLabels = context.Mistakes?.LabelErrors is null ? null : MistakesSection.SuspectedLabelsFile,
                ModelCard = context.Model is null ? null : Interop.ModelCard.FileName, // with the weights in PyTorch's formats
                PyTorchWeights = context.Model is null ? null : (string[])[Interop.ModelCard.SafetensorsWeights, Interop.ModelCard.PyTorchWeights],
            },
        });
        output.Commit();
    }
}
