namespace Recipe.Stages;

/// <summary>
/// The recipe as a list, and each command as that list cut at a place: `recipe run` goes to the end,
/// `recipe overfit` stops after stage 3, `recipe regularize` after stage 4. Later stages (tune) are added here, in order.
/// </summary>
public static class RecipeStages
{
    /// <summary>Every stage, in the recipe's order.</summary>
    public static IReadOnlyList<IRecipeStage> All { get; } =
    [
        new InspectionStage(),      // stage 1: become one with the data
        new SkeletonChecksStage(),  // stage 2: the training skeleton and dumb baselines, checked
        new FineTuneStage(),        // stage 3 with --init-from: every trial starts from the checkpoint; the learning rate is chosen
        new OverfitStage(),         // stage 3: learning rate, then capacity, one predicted change at a time
        new RegularizeStage(),      // stage 4: learning curve, then regularizers on validation loss, then the ablation
        new FinalTrainingStage(),   // the chosen pipeline trained until validation stops improving
        new SimplerModelStage(),    // a table keeps a linear model unless the trained one is better beyond noise
        new FullLengthTrialStage(), // --budget's unused time: the regularizer stage 4's short trials left undecided, trained like the final model
        new EnsembleStage(),        // --budget's unused time: more seeds, their mean kept only when validation confirms the gain
        new TestTimeShiftStage(),   // a model trained on shifted images answers over shifted copies, kept only when validation confirms the gain
        new TestEvaluationStage(),  // the final model on the test split, once
        new MistakesStage(),        // the final model's mistakes, on validation
    ];

    /// <summary>`recipe run`: every stage.</summary>
    public static IReadOnlyList<IRecipeStage> Run => All;

    /// <summary>`recipe overfit`: stages 1 to 3.</summary>
    public static IReadOnlyList<IRecipeStage> Overfit => All.TakeWhile(s => s is not RegularizeStage).ToList();

    /// <summary>`recipe regularize`: stages 1 to 4 (the test split is not touched).</summary>
    public static IReadOnlyList<IRecipeStage> Regularize => All.TakeWhile(s => s is not FinalTrainingStage).ToList();
}
