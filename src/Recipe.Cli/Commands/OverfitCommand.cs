using Recipe.Stages;

namespace Recipe.Cli.Commands;

/// <summary>
/// `recipe overfit`: stages 1-3 alone: inspect, check the skeleton, then grow it one predicted change at a time until
/// the training loss is near its floor. Writes the experiment log and the capacity-ladder picture; no test evaluation.
/// </summary>
public sealed class OverfitCommand : PartialRecipeCommand<OverfitCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        protected override string DefaultOut => "runs/overfit";
    }

    protected override string Name => "overfit";
    protected override IReadOnlyList<IRecipeStage> Stages => RecipeStages.Overfit;
}
