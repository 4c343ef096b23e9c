using Recipe.Checks;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Inspect;
using Recipe.Models;
using Recipe.Progress;
using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;

namespace Recipe.Stages;

/// <summary>What `recipe run` produced: the metrics, the checks, the training curve and where the files are.</summary>
/// <param name="Training">Null when a blocking check stopped the run before training (or the command stops before it).</param>
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
    /// <summary>Stage 3's result; null when it did not run.</summary>
    public Stage3Outcome? Overfit { get; init; }
    /// <summary>Stage 4's result; null when it did not run.</summary>
    public Regularization.Stage4Outcome? Regularize { get; init; }
    /// <summary>The experiment log, in order.</summary>
    public IReadOnlyList<Experiment> Experiments { get; init; } = [];
}

/// <summary>
/// `recipe run` and `recipe overfit`: read the data, then run a list of stages (<see cref="RecipeStages"/>) over one
/// <see cref="RunContext"/> until the list ends or a stage stops the recipe; write report.html, summary.json and the weights.
/// </summary>
public static class RunStage
{
    /// <summary>`recipe run`: every stage, to the final model evaluated on test.</summary>
    public static RunOutcome Execute(RunOptions options, IProgressSink? progress = null) => Execute("run", RecipeStages.Run, options, progress);

    /// <summary>Runs <paramref name="stages"/> in order; <paramref name="command"/> names the run in its outputs.</summary>
    public static RunOutcome Execute(string command, IReadOnlyList<IRecipeStage> stages, RunOptions options, IProgressSink? progress = null)
    {
        using var context = new RunContext(command, options, progress ?? NullProgress.Instance);
        Native.TorchRuntime.EnsureLoadable();
        if (options.Threads is { } threads) torch.set_num_threads(threads);
        Load(context);
        for (int i = 0; i < stages.Count; i++)
        {
            context.StagesAfter = stages.Count - i - 1;
            if (stages[i].Run(context) == StageOutcome.Stop) break;
        }
        RunSummary.Finish(context);
        return new RunOutcome(context.Metrics, context.Checks, context.Training?.Result, context.Output.Final, context.ExitCode)
        {
            Findings = context.Inspection?.Findings, Timings = context.Phases.Seconds, Overfit = context.Overfit, Regularize = context.Regularize, Experiments = context.Experiments.All,
        };
    }

    /// <summary>The data, the output folder, the report's first section and the skeleton every stage starts from.</summary>
    static void Load(RunContext context)
    {
        var options = context.Options;
        context.Data = DataSpec.Load(options.Data, new ReadOptions(options.TargetColumn, options.ImageSize, NoHeader: options.NoHeader, Task: options.Task));
        context.Output = new OutputFolder(options.Out, options.Force);
        context.Report = new RunReport(context.Data, options);
        context.Normalizer = InputNormalizer.FitTo(context.Data);
        (context.Skeleton, context.BudgetSteps) = Skeleton(options, context.Data, context.Normalizer);
        context.Pipeline = context.Skeleton;
        context.Phases.Lap("load");
    }

    /// <summary>
    /// The skeleton stage 2 checks and stage 3 starts from: Recipe's pipeline for the data with the planned training run,
    /// moved to the --knob values when given. Public so the fresh process of seed-reproducible rebuilds exactly this one.
    /// </summary>
    public static (Pipeline Skeleton, int BudgetSteps) Skeleton(RunOptions options, Dataset data, InputNormalizer normalizer)
    {
        var modelName = options.Model ?? ModelFactory.DefaultFor(data);
        Pipeline skeleton;
        int budgetSteps;
        using (var probe = ModelFactory.Create(modelName, data))
        {
            var (config, steps) = TrainingFor(options, data, probe, normalizer.Apply);
            skeleton = Pipeline.Default(data, normalizer, modelName, config);
            budgetSteps = steps;
        }
        var knobs = options.Knobs;
        if (options.InitFrom is { } init && options.Model is null && !knobs.ContainsKey(DefaultKnobs.Model) && Interop.InitFrom.ArchitectureKnobs(init) is { } built)
        {
            // fine-tuning a Recipe run: its card says what it built (stages 3 and 4 may have changed it); knobs the user set win
            var merged = new Dictionary<string, string>(built);
            foreach (var (name, value) in knobs) merged[name] = value;
            knobs = merged;
        }
        if (knobs.Count > 0)
        {
            // the user's starting point: its own model's step budget, the knob's learning rate
            var started = skeleton.WithKnobs(knobs);
            var (config, steps) = TrainingFor(options, started);
            skeleton = started with { Training = config with { LearningRate = started.Training.LearningRate } };
            budgetSteps = steps;
        }
        // --init-from: the checkpoint is test-loaded now (a damaged one stops the run before any stage) and its normalization goes to the checks
        return (Interop.InitFrom.Prepare(skeleton, options.InitFrom), budgetSteps);
    }

    /// <summary>The training configuration for Recipe's model <paramref name="modelName"/> on <paramref name="data"/> (see the last overload).</summary>
    public static (TrainingConfig Config, int BudgetSteps) TrainingFor(RunOptions options, Dataset data, InputNormalizer normalizer, string modelName)
    {
        using var probe = ModelFactory.Create(modelName, data);
        return TrainingFor(options, data, probe, normalizer.Apply);
    }

    /// <summary>The training configuration for the model <paramref name="pipeline"/> builds (see the other overload).</summary>
    public static (TrainingConfig Config, int BudgetSteps) TrainingFor(RunOptions options, Pipeline pipeline)
    {
        using var probe = pipeline.CreateModel();
        // the pipeline's own batch size (its `batch` knob) wins over the command line's: a stage may have changed it
        // the pipeline's own transform: its `input` knob may hand the model a smaller image than the stored one
        return TrainingFor(options with { BatchSize = pipeline.Training.BatchSize }, pipeline.Data, probe, pipeline.Transform);
    }

    /// <summary>
    /// The training configuration: `--epochs` trains exactly that many passes; the default trains until validation
    /// stops improving, within a compute budget measured on the model itself (<see cref="TrainingLength"/>).
    /// </summary>
    static (TrainingConfig Config, int BudgetSteps) TrainingFor(RunOptions options, Dataset data, torch.nn.Module<torch.Tensor, torch.Tensor> probe, Func<torch.Tensor, torch.Tensor> transform)
    {
        var basis = new TrainingConfig { BatchSize = options.BatchSize, LearningRate = options.LearningRate, Seed = options.Seed };
        if (options.Epochs is { } epochs)
        {
            int steps = epochs * Math.Max(1, (data.Train.Count + options.BatchSize - 1) / options.BatchSize);
            return (basis with { Epochs = epochs }, steps);
        }
        long multiplyAdds = TrainingLength.MultiplyAddsPerExample(probe, transform, data.Train);
        return TrainingLength.DefaultConfig(basis, multiplyAdds, data.Train.Count, data.Validation.Count, TrainingLength.BudgetExamples(data.Train));
    }
}
