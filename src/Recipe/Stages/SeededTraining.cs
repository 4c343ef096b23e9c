using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>
/// "Train the pipeline as it stands, from this seed, within this time": the final training's one run, shared by the
/// final model (<see cref="FinalTrainingStage"/>) and the ensemble's extra members (<see cref="EnsembleStage"/>), so every
/// member is trained exactly like the first model — the same plateau rule, learning-rate drops and wall clock.
/// </summary>
public static class SeededTraining
{
    /// <summary>
    /// A fresh model of <see cref="RunContext.Pipeline"/> seeded with <paramref name="seed"/> (weights, dropout and the
    /// data order), trained until its validation plateau (or the epochs asked for) within <paramref name="timeLeft"/>.
    /// The caller owns the model. <paramref name="pipeline"/> and <paramref name="budgetSteps"/> replace the run's own
    /// (<see cref="RunContext.Pipeline"/>, <see cref="RunContext.BudgetSteps"/>) for a candidate trained the same way.
    /// </summary>
    public static (nn.Module<Tensor, Tensor> Model, TrainingStory Story) Run(RunContext context, long seed, (TimeSpan Left, string Name)? timeLeft, string label,
        Checks.Pipeline? pipeline = null, int? budgetSteps = null)
    {
        var options = context.Options;
        pipeline ??= context.Pipeline;
        int steps = budgetSteps ?? context.BudgetSteps;
        var trainingConfig = pipeline.Training with { Seed = seed, TrimSequencePadding = true }; // text: no steps spent on padding
        Seeding.Apply(seed);
        var model = pipeline.CreateModel();
        try
        {
            if (options.InitFrom is { } initFrom) Interop.Checkpoint.LoadInto(model, initFrom); // fine-tuning: start from these weights
            using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
            var hooks = new List<ITrainingHook> { new ProgressHook(context.Progress, label, steps) };
            if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
            var trainingContext = pipeline.ContextFor(model, setup, context.Normalizer, trainingConfig);
            if (options.Epochs is null)
                // with time given (--budget), a plateau first lowers the learning rate (the recipe's decay at the very end), then ends the run
                return (model, TrainUntilPlateau.Fit(trainingContext, steps, timeLeft, timeLeft is null ? 0 : FinalTrainingStage.LearningRateDropsWithBudget, hooks));
            // the epochs the user asked for, only the wall clock may stop them sooner
            var wallClock = TrainUntilPlateau.WallClock(timeLeft);
            if (wallClock is not null) hooks.Add(wallClock);
            return (model, new TrainingStory(new Trainer(hooks).Fit(trainingContext), steps, null, null, wallClock));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What is left of --budget for a training that starts now, less what the stages after it need: a share of the time
    /// left for the passes over validation and test, and — when the final model may answer over shifted copies
    /// (<see cref="TestTimeShiftStage"/>) — those copies' evaluation for the <paramref name="models"/> the run will
    /// hold by then (every ensemble member answers about every copy). Null without --budget.
    /// </summary>
    public static (TimeSpan Left, string Name)? TimeLeft(RunContext context, int models = 1) =>
        context.Options.Budget is { } budget ? (budget - context.Clock.Elapsed - AfterTraining(context) - ShiftedCopies(context, models), $"--budget {budget}") : null;

    static TimeSpan AfterTraining(RunContext context) =>
        context.TimeLeft is { } left && context.StagesAfter > 0 ? TimeSpan.FromSeconds(Math.Max(0, left.TotalSeconds * FinalTrainingStage.AfterTrainingShare)) : TimeSpan.Zero;

    static TimeSpan ShiftedCopies(RunContext context, int models)
    {
        var pipeline = context.Pipeline;
        if (context.StagesAfter == 0 || TestTimeShiftStage.Views(pipeline) is null) return TimeSpan.Zero;
        // one model's pass over the validation split, measured once per pipeline on a fresh model (the same cost as a trained one)
        if (context.ValidationPass is not { } pass || pass.Pipeline != pipeline.Description)
        {
            using var probe = pipeline.CreateModel();
            probe.eval();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Evaluation.Run(probe, pipeline.Data.Validation, pipeline.Data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
            context.ValidationPass = pass = (pipeline.Description, clock.Elapsed.TotalSeconds);
        }
        return TestTimeShiftStage.EvaluationReserve(pipeline, models, pass.Seconds);
    }
}
