using Recipe.Checks;
using Recipe.Training;

namespace Recipe.Stages;

/// <summary>
/// Trains the pipeline the earlier stages settled on: until validation stops improving (best weights put back), within
/// the step budget measured on its model and the time left of --budget.
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
        var pipeline = context.Pipeline;
        var trainingConfig = pipeline.Training;
        Seeding.Apply(options.Seed);
        var model = pipeline.CreateModel();
        context.Model = model;
        if (options.InitFrom is { } initFrom) Interop.Checkpoint.LoadInto(model, initFrom); // fine-tuning: start from these weights
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        var hooks = new List<ITrainingHook> { new ProgressHook(context.Progress, $"training {context.ModelName}", context.BudgetSteps) };
        if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
        using var earlyStopping = options.Epochs is null ? new EarlyStopping() : null;
        StepBudget? stepBudget = null;
        if (earlyStopping is not null)
        {
            // past the budget only while it pays: validation still improving and the model not yet beating its baselines
            var checks = context.Checks;
            bool Extend() => earlyStopping.StillImproving && checks is not null && !TrainedModelBeatsBaselines.Beats(checks.Metrics, earlyStopping.BestLoss);
            stepBudget = new StepBudget(context.BudgetSteps, trainingConfig.MaxSteps!.Value, Extend);
            hooks.AddRange([earlyStopping, stepBudget]);
        }
        var wallClock = options.Budget is { } budget ? new WallClockBudget(budget - context.Clock.Elapsed, $"--budget {budget}") : null;
        if (wallClock is not null) hooks.Add(wallClock);
        var training = new Trainer(hooks).Fit(pipeline.ContextFor(model, setup, context.Normalizer, trainingConfig));
        context.Training = new TrainingStory(training, context.BudgetSteps, stepBudget, earlyStopping, wallClock);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }
}
