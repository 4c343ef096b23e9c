using Recipe.Training;

namespace Recipe.Stages;

/// <summary>
/// Trains the pipeline the earlier stages settled on (<see cref="TrainUntilPlateau"/>): until validation stops improving
/// (best weights put back), within the step budget measured on its model, extended while validation keeps improving by
/// more than its noise, and the time left of --budget. After stage 3 changed the model, the same rule with its own budget.
/// The run itself is <see cref="SeededTraining"/>, which the ensemble's members share.
/// </summary>
public sealed class FinalTrainingStage : IRecipeStage
{
    public string Name => "training";

    public StageOutcome Run(RunContext context)
    {
        var options = context.Options;
        if (context.Pipeline != context.Skeleton)
        {
            // stage 3 changed the model: its own step budget (the same compute), its own learning rate
            var (config, budgetSteps) = RunStage.TrainingFor(options, context.Pipeline);
            context.Pipeline = context.Pipeline with { Training = config with { LearningRate = context.Pipeline.Training.LearningRate } };
            context.BudgetSteps = budgetSteps;
        }
        var (model, story) = SeededTraining.Run(context, options.Seed, SeededTraining.TimeLeft(context), $"training {context.ModelName}");
        context.Model = model;
        context.Training = story;
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }

    /// <summary>Plateaus that lower the learning rate ×0.1 before one ends a --budget run: two, the classic schedule's two divisions by 10.</summary>
    public const int LearningRateDropsWithBudget = 2;

    /// <summary>
    /// The share of the time left held back for what follows the training (the test evaluation, the mistakes, the report),
    /// so that a run given --budget ends within it. The last stages pass over the validation and test splits a few times;
    /// a share of the time left covers them whatever the model's speed.
    /// </summary>
    public const double AfterTrainingShare = 0.05;
}
