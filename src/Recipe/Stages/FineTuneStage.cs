using Recipe.Checks;

namespace Recipe.Stages;

/// <summary>
/// Stage 3 in `recipe run --init-from`: <see cref="FineTuning.Run"/> on the checked skeleton, every trial starting from
/// the checkpoint's weights, within the same share of the time as <see cref="OverfitStage"/> (which skips itself then);
/// the learning rate it kept goes to the final training, which loads the checkpoint too.
/// </summary>
public sealed class FineTuneStage : IRecipeStage
{
    public string Name => "fine-tune";

    public StageOutcome Run(RunContext context)
    {
        var options = context.Options;
        if (options.InitFrom is not { } source || options.SkipOverfit) return StageOutcome.Continue;
        var allowed = context.AllowanceFor(OverfitStage.BudgetShare, options.OverfitTime, OverfitStage.DefaultAllowance);
        var outcome = FineTuning.Run(context.Skeleton, source, new Stage3Options
        {
            Seed = options.Seed,
            TrialSteps = OverfitStage.StepRuleTrialSteps(context.BudgetSteps, options.QuickChecks),
            TimeAllowed = allowed,
            SuggestLearningRate = LearningRateSuggestions.RangeTest(options.Seed, Path.Combine(context.Output.Staging, OverfitStage.LearningRatePicture)),
            Rechecks = (options.QuickChecks ? CheckOptions.Quick : new CheckOptions()) with { Seed = options.Seed },
        }, context.Experiments, context.Progress);
        context.FineTune = outcome;
        context.Pipeline = outcome.Best;
        context.Report.FineTune(outcome, context.Output.Staging, OverfitStage.LearningRatePicture);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }
}
