namespace Recipe.Stages;

/// <summary>Whether the recipe goes on after a stage.</summary>
public enum StageOutcome
{
    /// <summary>The stage finished (or had nothing to do): the next stage runs.</summary>
    Continue,
    /// <summary>The stage stopped the recipe (a blocking check failed): no later stage runs.</summary>
    Stop,
}

/// <summary>
/// One stage of the recipe. A command is a list of stages run in order over one <see cref="RunContext"/>
/// (<see cref="RecipeStages"/>); a stage reads what earlier ones left in the context, adds its own result and report
/// section, and books its time with <see cref="PhaseClock.Lap"/>.
/// </summary>
public interface IRecipeStage
{
    /// <summary>The phase name its time is booked to ("inspect", "checks", "overfit", …).</summary>
    string Name { get; }

    StageOutcome Run(RunContext context);
}
