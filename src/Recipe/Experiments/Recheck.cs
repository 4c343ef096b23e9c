using Recipe.Checks;
using Recipe.Progress;

namespace Recipe.Experiments;

/// <summary>
/// The fast stage-2 checks a kept change could break, re-run on the changed pipeline: a new model can start at the
/// wrong loss or bias, or fail to overfit a batch; batch norm can mix examples within a batch in eval mode.
/// </summary>
public static class Recheck
{
    public static readonly string[] AfterAnyChange = ["loss-at-init", "init-final-bias", "overfit-one-batch"];
    public const string WithBatchNorm = "batch-independence";

    /// <summary>The check ids to re-run for this pipeline's model.</summary>
    public static IReadOnlyList<string> For(Pipeline pipeline)
    {
        using var model = pipeline.CreateModel();
        bool batchNorm = model.modules().Any(m => m.GetType().Name.StartsWith("BatchNorm", StringComparison.Ordinal));
        return batchNorm ? [.. AfterAnyChange, WithBatchNorm] : AfterAnyChange;
    }

    public static SuiteResult Run(Pipeline pipeline, CheckOptions options, IProgressSink? progress = null) =>
        CheckSuite.Run(pipeline, options, progress, For(pipeline).Select(CheckSuite.ById).ToList());
}
