using Recipe.Stages;

namespace Recipe.Cli.Commands;

/// <summary>
/// `recipe regularize`: stages 1-4 alone: inspect, check the skeleton, overfit, then regularize (learning curve, the
/// regularization ladder on validation loss, the ablation). Writes the experiment log; the test split is not touched.
/// </summary>
public sealed class RegularizeCommand : PartialRecipeCommand<RegularizeCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        protected override string DefaultOut => "runs/regularize";
    }

    protected override string Name => "regularize";
    protected override IReadOnlyList<IRecipeStage> Stages => RecipeStages.Regularize;
}
