using Recipe.Inspect;

namespace Recipe.Stages;

/// <summary>Stage 1, become one with the data: the audit runs on the same data spec; findings inform, they do not stop the run.</summary>
public sealed class InspectionStage : IRecipeStage
{
    public string Name => "inspect";

    public StageOutcome Run(RunContext context)
    {
        var options = context.Options;
        if (options.SkipInspect) return StageOutcome.Continue;
        context.Inspection = Inspection.Run(new InspectRequest
        {
            Data = options.Data, Out = Path.Combine(context.Output.Staging, "inspect"), TargetColumn = options.TargetColumn, ImageSize = options.ImageSize,
            NoHeader = options.NoHeader, Task = options.Task, Options = new InspectOptions { FingerprintHandOff = context.Fingerprints },
        }, context.Progress);
        context.Report.Findings(context.Inspection);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }
}
