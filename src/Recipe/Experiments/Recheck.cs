using Recipe.Checks;
using Recipe.Progress;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Experiments;

/// <summary>
/// The fast stage-2 checks a kept change could break, re-run on the changed pipeline with the quick budgets: a new model
/// can start at the wrong loss or bias, or fail to overfit a batch; batch norm can mix examples within a batch in eval
/// mode. A change that leaves the model at initialisation as it was (a learning rate) cannot move its loss or bias at
/// init, so only what training touches is re-run. Stage 2 already ran the full budgets on the skeleton: a recheck is
/// a guard against a broken rung, and with full budgets it cost more than the rung's own trial (a GRU overfitting one
/// license line for 1,500 steps, and again for 3,000).
/// </summary>
public static class Recheck
{
    public static readonly string[] AfterAnyChange = ["loss-at-init", "init-final-bias", "overfit-one-batch"];
    public static readonly string[] AfterTrainingChange = ["overfit-one-batch"];
    public const string WithBatchNorm = "batch-independence";

    /// <summary>The check ids to re-run for this pipeline's model.</summary>
    public static IReadOnlyList<string> For(Pipeline pipeline)
    {
        using var model = pipeline.CreateModel();
        bool batchNorm = model.modules().Any(m => m.GetType().Name.StartsWith("BatchNorm", StringComparison.Ordinal));
        return batchNorm ? [.. AfterAnyChange, WithBatchNorm] : AfterAnyChange;
    }

    /// <summary>
    /// The check ids the change from <paramref name="before"/> to <paramref name="after"/> could break: all of
    /// <see cref="For(Pipeline)"/> when the model at initialisation differs (other parameters, shapes or values from the
    /// same seed), only <see cref="AfterTrainingChange"/> when it is the same model trained differently.
    /// </summary>
    public static IReadOnlyList<string> For(Pipeline before, Pipeline after, long seed) =>
        SameModelAtInit(before, after, seed) ? AfterTrainingChange : For(after);

    /// <summary>Stage 2's budgets cut to <see cref="CheckOptions.Quick"/>'s where those are smaller; the seed and the rest kept.</summary>
    public static CheckOptions QuickBudgets(CheckOptions options)
    {
        var quick = CheckOptions.Quick;
        return options with
        {
            OverfitMaxSteps = Math.Min(options.OverfitMaxSteps, quick.OverfitMaxSteps),
            BiasSteps = Math.Min(options.BiasSteps, quick.BiasSteps),
            InitExamples = Math.Min(options.InitExamples, quick.InitExamples),
            ProbeExamples = Math.Min(options.ProbeExamples, quick.ProbeExamples),
            TrainProbeExamples = Math.Min(options.TrainProbeExamples, quick.TrainProbeExamples),
        };
    }

    public static SuiteResult Run(Pipeline pipeline, CheckOptions options, IProgressSink? progress = null) =>
        CheckSuite.Run(pipeline, QuickBudgets(options), progress, For(pipeline).Select(CheckSuite.ById).ToList());

    /// <summary>The checks the change could break (<see cref="For(Pipeline, Pipeline, long)"/>), on the changed pipeline, with quick budgets.</summary>
    public static SuiteResult Run(Pipeline before, Pipeline after, CheckOptions options, IProgressSink? progress = null) =>
        CheckSuite.Run(after, QuickBudgets(options), progress, For(before, after, options.Seed ?? after.Training.Seed).Select(CheckSuite.ById).ToList());

    static bool SameModelAtInit(Pipeline before, Pipeline after, long seed)
    {
        Seeding.Apply(seed);
        using var first = before.CreateModel();
        Seeding.Apply(seed);
        using var second = after.CreateModel();
        var a = first.state_dict();
        var b = second.state_dict();
        if (a.Count != b.Count) return false;
        foreach (var (name, value) in a)
            if (!b.TryGetValue(name, out var other) || !value.shape.SequenceEqual(other.shape) || value.dtype != other.dtype || !value.eq(other).all().item<bool>())
                return false;
        return true;
    }
}
