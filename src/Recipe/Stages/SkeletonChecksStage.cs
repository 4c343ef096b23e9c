using Recipe.Checks;

namespace Recipe.Stages;

/// <summary>Stage 2: gain trust in the skeleton before training it for real; a blocking failure stops the recipe (exit 1).</summary>
public sealed class SkeletonChecksStage : IRecipeStage
{
    public string Name => "checks";

    public StageOutcome Run(RunContext context)
    {
        var options = context.Options;
        if (options.SkipChecks) return StageOutcome.Continue;
        var checks = Stage2.Run(context.Skeleton, (options.QuickChecks ? CheckOptions.Quick : new CheckOptions()) with
        {
            Seed = options.Seed, StageOneFingerprints = context.Fingerprints,
        }, context.Progress);
        context.Fingerprints.Clear();   // split-integrity took them, or did not need them: no later stage does
        context.Checks = checks;
        foreach (var (name, value) in checks.Metrics) context.Metrics[$"baseline_{name}"] = value;
        context.Report.Checks(checks, context.Output.Staging);
        context.Phases.Lap(Name);
        if (!checks.Stops) return StageOutcome.Continue;
        context.Report.Stopped(checks);
        context.ExitCode = ExitCodes.BlockingFailure;
        return StageOutcome.Stop;
    }
}
