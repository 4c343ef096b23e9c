using Recipe.Training;

namespace Recipe.Stages;

/// <summary>
/// Trains the pipeline the earlier stages settled on (<see cref="TrainUntilPlateau"/>): until validation stops improving
/// (best weights put back), within the step budget measured on its model, extended while validation keeps improving by
/// more than its noise, and the time left of --budget. After stage 3 changed the model, the same rule with its own budget.
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
            var (config, budgetSteps) = RunStage.TrainingFor(options, context.Pipeline, context.Normalizer);
            context.Pipeline = context.Pipeline with { Training = config with { LearningRate = context.Pipeline.Training.LearningRate } };
            context.BudgetSteps = budgetSteps;
        }
        var timeLeft = options.Budget is { } budget ? (budget - context.Clock.Elapsed - AfterTraining(context), $"--budget {budget}") : ((TimeSpan, string)?)null;
        var pipeline = context.Pipeline;
        var trainingConfig = pipeline.Training with { TrimSequencePadding = true }; // text: no steps spent on padding
        Seeding.Apply(options.Seed);
        var model = pipeline.CreateModel();
        context.Model = model;
        if (options.InitFrom is { } initFrom) Interop.Checkpoint.LoadInto(model, initFrom); // fine-tuning: start from these weights
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        var hooks = new List<ITrainingHook> { new ProgressHook(context.Progress, $"training {context.ModelName}", context.BudgetSteps) };
        if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
        var trainingContext = pipeline.ContextFor(model, setup, context.Normalizer, trainingConfig);
        if (options.Epochs is null)
            // with time given (--budget), a plateau first lowers the learning rate (the recipe's decay at the very end), then ends the run
            context.Training = TrainUntilPlateau.Fit(trainingContext, context.BudgetSteps, timeLeft, timeLeft is null ? 0 : LearningRateDropsWithBudget, hooks);
        else
        {
            // the epochs the user asked for, only the wall clock may stop them sooner
            var wallClock = TrainUntilPlateau.WallClock(timeLeft);
            if (wallClock is not null) hooks.Add(wallClock);
            context.Training = new TrainingStory(new Trainer(hooks).Fit(trainingContext), context.BudgetSteps, null, null, wallClock);
        }
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

    static TimeSpan AfterTraining(RunContext context) =>
        context.TimeLeft is { } left && context.StagesAfter > 0 ? TimeSpan.FromSeconds(Math.Max(0, left.TotalSeconds * AfterTrainingShare)) : TimeSpan.Zero;
}
