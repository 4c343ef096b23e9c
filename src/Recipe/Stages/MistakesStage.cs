using Recipe.Diagnostics;

namespace Recipe.Stages;

/// <summary>
/// A look at the final model's mistakes, on validation (the test split was touched once, by the evaluation): confusion,
/// the highest-loss examples, residuals or samples; suspected label errors and the learning curve when the options ask
/// for them (they train extra models).
/// </summary>
public sealed class MistakesStage : IRecipeStage
{
    public string Name => "mistakes";

    public StageOutcome Run(RunContext context)
    {
        if (context.Model is not { } model || context.Training is not { } story) return StageOutcome.Continue;
        var options = context.Options;
        var mistakes = MistakesDiagnosis.Run(model, context.Pipeline, options.Mistakes with { Seed = options.Seed }, story.Result);
        context.Mistakes = mistakes;
        context.Report.Mistakes(mistakes, context.Pipeline.Data, context.Output.Staging);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }
}
