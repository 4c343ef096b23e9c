using Recipe.Checks;
using Recipe.Data;
using Recipe.Diagnostics;
using Recipe.Inspect;
using Recipe.Models;
using Recipe.Progress;
using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>What `recipe run` produced: the metrics, the checks, the training curve and where the files are.</summary>
/// <param name="Training">Null when a blocking check stopped the run before training.</param>
public sealed record RunOutcome(
    IReadOnlyDictionary<string, double> Metrics,
    Stage2Outcome? Checks,
    TrainingResult? Training,
    string OutputFolder,
    int ExitCode)
{
    /// <summary>Stage 1's findings; null when the audit was skipped.</summary>
    public IReadOnlyList<Finding>? Findings { get; init; }
    /// <summary>Wall seconds per phase, in the order they ran (summary.json's timings_seconds).</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// `recipe run`: read the data; stage 2 checks the pipeline and stops on a blocking failure (exit 1);
/// then the same pipeline (model, loss, transform, optimizer) trains with the recipe's defaults and is
/// evaluated on the whole test split. Writes report.html, summary.json and the weights.
/// </summary>
public static class RunStage
{
    public static RunOutcome Execute(RunOptions options, IProgressSink? progress = null)
    {
        progress ??= NullProgress.Instance;
        var runClock = System.Diagnostics.Stopwatch.StartNew(); // --budget counts from here
        var phases = new PhaseClock(); // start-up before Execute (runtime, JIT of the CLI) is not counted
        Native.TorchRuntime.EnsureLoadable();
        if (options.Threads is { } threads) torch.set_num_threads(threads);
        using var data = DataSpec.Load(options.Data, new ReadOptions(options.TargetColumn, options.ImageSize, NoHeader: options.NoHeader, Task: options.Task));
        using var output = new OutputFolder(options.Out);
        var report = new RunReport(data, options);

        using var normalizer = InputNormalizer.FitTo(data);
        var modelName = options.Model ?? ModelFactory.DefaultFor(data);
        var (config, budgetSteps) = TrainingFor(options, data, normalizer, modelName);
        var pipeline = Pipeline.Default(data, normalizer, modelName, config);
        using var scaledData = pipeline.Data == data ? null : pipeline.Data; // regression: the view with standardized targets
        var metrics = new Dictionary<string, double>();
        phases.Lap("load");

        // stage 1: become one with the data (findings inform, they do not stop the run)
        InspectOutcome? inspection = null;
        if (!options.SkipInspect)
        {
            inspection = Inspection.Run(new InspectRequest
            {
                Data = options.Data, Out = Path.Combine(output.Staging, "inspect"), TargetColumn = options.TargetColumn, ImageSize = options.ImageSize, NoHeader = options.NoHeader, Task = options.Task,
            }, progress);
            report.Findings(inspection);
            phases.Lap("inspect");
        }

        // stage 2: gain trust in the pipeline before training it for real
        Stage2Outcome? checks = null;
        if (!options.SkipChecks)
        {
            checks = Stage2.Run(pipeline, (options.QuickChecks ? CheckOptions.Quick : new CheckOptions()) with { Seed = options.Seed }, progress);
            foreach (var (name, value) in checks.Metrics) metrics[$"baseline_{name}"] = value;
            report.Checks(checks, output.Staging);
            phases.Lap("checks");
            if (checks.Stops)
            {
                report.Stopped(checks);
                Finish(output, report, options, data, modelName, config, inspection, checks, null, null, metrics, phases);
                return new RunOutcome(metrics, checks, null, output.Final, ExitCode: 1) { Findings = inspection?.Findings, Timings = phases.Seconds };
            }
        }

        // train the checked pipeline: until validation stops improving (best weights put back), within the budgets
        Seeding.Apply(options.Seed);
        using var model = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        var hooks = new List<ITrainingHook> { new ProgressHook(progress, $"training {modelName}", budgetSteps) };
        if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
        using var earlyStopping = options.Epochs is null ? new EarlyStopping() : null;
        StepBudget? stepBudget = null;
        if (earlyStopping is not null)
        {
            // past the budget only while it pays: validation still improving and the model not yet beating its baselines
            bool Extend() => earlyStopping.StillImproving && checks is not null && !TrainedModelBeatsBaselines.Beats(checks.Metrics, earlyStopping.BestLoss);
            stepBudget = new StepBudget(budgetSteps, config.MaxSteps!.Value, Extend);
            hooks.AddRange([earlyStopping, stepBudget]);
        }
        var wallClock = options.Budget is { } budget ? new WallClockBudget(budget - runClock.Elapsed, $"--budget {budget}") : null;
        if (wallClock is not null) hooks.Add(wallClock);
        var training = new Trainer(hooks).Fit(pipeline.ContextFor(model, setup, normalizer, config));
        var story = new TrainingStory(training, budgetSteps, stepBudget, earlyStopping, wallClock);
        phases.Lap("training");

        // evaluate on the whole splits (regression: also in the target's own units)
        var validation = Evaluation.Run(model, pipeline.Data.Validation, data.Task, pipeline.Transform, pipeline.Loss);
        var test = Evaluation.Run(model, pipeline.Data.Test, data.Task, pipeline.Transform, pipeline.Loss);
        metrics["validation_loss"] = validation.Loss;
        metrics["test_loss"] = test.Loss;
        if (validation.Accuracy is { } validationAccuracy) metrics["validation_accuracy"] = validationAccuracy;
        if (test.Accuracy is { } testAccuracy) metrics["test_accuracy"] = testAccuracy;
        RegressionMetrics[] regression = pipeline.TargetScale is { } scale
            ? [RegressionMetrics.Measure(model, pipeline.Data.Validation, pipeline.Transform, scale), RegressionMetrics.Measure(model, pipeline.Data.Test, pipeline.Transform, scale)]
            : [];
        foreach (var r in regression)
        {
            metrics[$"{r.Split}_rmse"] = r.Rmse;
            metrics[$"{r.Split}_mae"] = r.Mae;
            metrics[$"{r.Split}_r2"] = r.R2;
        }

        CheckResult? verdict = checks is null ? null
            : TrainedModelBeatsBaselines.Judge(checks.Metrics, validation, training.Elapsed, new TrainingEnd(training.Steps, story.StopReason, story.EndedStillImproving));
        if (verdict is not null) checks = checks! with { Checks = [.. checks.Checks, verdict] };
        phases.Lap("evaluation");

        model.save(output.PathOf("model.bin"));
        report.Training(modelName, config, story, validation, test, regression, verdict);

        // stage 4's look at the mistakes, on validation (the expensive parts only when options.Mistakes asks for them)
        var mistakes = MistakesDiagnosis.Run(model, pipeline, options.Mistakes with { Seed = options.Seed }, training);
        report.Mistakes(mistakes, pipeline.Data, output.Staging);
        phases.Lap("mistakes");
        Finish(output, report, options, data, modelName, config, inspection, checks, story, pipeline.TargetScale, metrics, phases, mistakes);
        // a trained model that does not even beat the dumb baselines is a wrong answer: not exit 0
        int exitCode = verdict?.Verdict == Verdict.Fail ? 1 : 0;
        return new RunOutcome(metrics, checks, training, output.Final, exitCode) { Findings = inspection?.Findings, Timings = phases.Seconds };
    }

    /// <summary>
    /// The training configuration: `--epochs` trains exactly that many passes; the default trains until validation
    /// stops improving, within a compute budget measured on the model itself (<see cref="TrainingLength"/>).
    /// </summary>
    static (TrainingConfig Config, int BudgetSteps) TrainingFor(RunOptions options, Dataset data, InputNormalizer normalizer, string modelName)
    {
        var basis = new TrainingConfig { BatchSize = options.BatchSize, LearningRate = options.LearningRate, Seed = options.Seed };
        if (options.Epochs is { } epochs)
        {
            int steps = epochs * Math.Max(1, (data.Train.Count + options.BatchSize - 1) / options.BatchSize);
            return (basis with { Epochs = epochs }, steps);
        }
        long multiplyAdds;
        using (var probe = ModelFactory.Create(modelName, data))
            multiplyAdds = TrainingLength.MultiplyAddsPerExample(probe, normalizer.Apply, data.Train);
        return TrainingLength.DefaultConfig(basis, multiplyAdds, data.Train.Count, data.Validation.Count);
    }

    static void Finish(OutputFolder output, RunReport report, RunOptions options, Dataset data, string modelName,
        TrainingConfig config, InspectOutcome? inspection, Stage2Outcome? checks, TrainingStory? training, TargetScale? scale, Dictionary<string, double> metrics, PhaseClock phases,
        MistakesReport? mistakes = null)
    {
        report.Timings(phases); // the phases so far; writing the report and the weights is booked to "report" after
        report.Save(output.PathOf("report.html"));
        phases.Lap("report");
        Summary.Save(output.PathOf("summary.json"), new
        {
            Command = "run",
            Data = options.Data,
            Seed = options.Seed,
            Model = modelName,
            Dataset = DatasetSummary.Of(data),
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
            Training = training is null ? null : new
            {
                Epochs = training.EpochsRun, config.BatchSize, config.LearningRate, Optimizer = "adam", training.Result.Steps, training.StopReason,
                training.StopKind, training.BudgetSteps, training.BudgetExtensions, training.BestStep, training.RestoredStep,
                ValidationEverySteps = config.EvaluateEverySteps, Validations = training.Result.Validations.Count,
                WallClockBudgetSeconds = options.Budget?.TotalSeconds,
                Seconds = Math.Round(training.Result.Elapsed.TotalSeconds, 1),
                TargetScale = scale is null ? null : new { scale.Mean, scale.Std },
            },
            Metrics = metrics,
            Mistakes = mistakes is null ? null : MistakesSection.ToSummary(mistakes),
            TimingsSeconds = phases.Seconds,
            Artifacts = new { Report = "report.html", Weights = training is null ? null : "model.bin", Pictures = checks is null ? null : "checks/", Inspection = inspection is null ? null : "inspect/",
                SuspectedLabels = mistakes?.LabelErrors is null ? null : MistakesSection.SuspectedLabelsFile },
        });
        output.Commit();
    }
}
