using Recipe.Checks;
using Recipe.Data;
using Recipe.Progress;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>A model the run trained, with how its training went.</summary>
public sealed record TrainedModel(string Name, nn.Module<Tensor, Tensor> Model, TrainingConfig Config, TrainingStory Story);

/// <summary>The linear model trained beside the default one, and which of the two the run keeps.</summary>
public sealed class SimplerModelOutcome(TrainedModel linear, SimplerModelDecision decision, string richerName) : IDisposable
{
    public TrainedModel Linear { get; } = linear;
    public SimplerModelDecision Decision { get; } = decision;

    /// <summary>One sentence for the report: which model was kept and on what evidence.</summary>
    public string Explanation =>
        $"Model choice: the linear model, trained the same way ({Linear.Story.Result.Steps} steps), scored a validation loss of {Decision.SimplerLoss:G4} " +
        $"against {Decision.RicherLoss:G4} for {richerName}; the noise of that comparison (one standard error of the per-example difference on " +
        $"{Decision.Examples} validation examples) is {Decision.StandardError:G3}. " +
        (Decision.KeepRicher
            ? $"{richerName} is better by {Decision.Margin:F1} standard errors, so it is kept."
            : $"{richerName} is not better by more than that, so the simpler linear model is kept (it has less to overfit).");

    public void Dispose() => Linear.Model.Dispose();
}

/// <summary>
/// "Don't be a hero": a linear model is the simplest model of the zoo, and on a small or nearly linear table it is
/// often the right one. When `recipe run` picked its default model itself, it also trains a linear model on the same
/// split with the same recipe (until validation stops improving, best weights kept) and keeps it unless the default
/// model is better on validation by more than the comparison's own noise (<see cref="SimplerModelRule"/>).
/// Tables only: a model the user named, a fixed number of epochs, text (no linear model in the zoo) and images (where the
/// default is a convolution net for its prior, and a linear model on full Fashion-MNIST would add tens of seconds to a
/// run it never wins; dumb-baselines still records it) are left as they are.
/// </summary>
public static class SimplerModelChoice
{
    public static bool Applies(RunOptions options, Dataset data, string modelName) =>
        options.Model is null && options.Epochs is null && modelName != "linear" && data.Task is TaskKind.Classification or TaskKind.Regression && data.ExampleShape.Length == 1;

    /// <param name="richer">The default model, already trained (its best weights in place).</param>
    /// <param name="timeLeft">What is left of `--budget`, if one was given.</param>
    public static SimplerModelOutcome Weigh(TrainedModel richer, Pipeline richerPipeline, RunOptions options, Dataset data, InputNormalizer normalizer,
        TimeSpan? timeLeft, IProgressSink progress)
    {
        // the learning rate of dumb-baselines' linear model: a convex model takes a larger step safely and converges in far fewer
        var (config, budgetSteps) = RunStage.TrainingFor(options with { LearningRate = new CheckOptions().LinearLearningRate }, data, normalizer, "linear");
        var pipeline = Pipeline.Default(data, normalizer, "linear", config);
        using var scaledData = pipeline.Data == data ? null : pipeline.Data;
        Seeding.Apply(options.Seed);
        var model = pipeline.CreateModel();
        try
        {
            using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
            using var earlyStopping = new EarlyStopping();
            var stepBudget = new StepBudget(budgetSteps, config.MaxSteps!.Value, () => false);
            var hooks = new List<ITrainingHook> { new ProgressHook(progress, "training linear (the simpler model)", budgetSteps), earlyStopping, stepBudget };
            WallClockBudget? wallClock = timeLeft is { } left ? new WallClockBudget(left, $"--budget {options.Budget}") : null;
            if (wallClock is not null) hooks.Add(wallClock);
            var result = new Trainer(hooks).Fit(pipeline.ContextFor(model, setup, normalizer, config));
            var linear = new TrainedModel("linear", model, config, new TrainingStory(result, budgetSteps, stepBudget, earlyStopping, wallClock));

            var validation = richerPipeline.Data.Validation; // the richer pipeline's view: standardized targets for a regression, like the linear one's
            var decision = SimplerModelRule.Decide(
                Diagnostics.SplitPredictions.Measure(model, validation, data.Task, pipeline.Transform).Losses,
                Diagnostics.SplitPredictions.Measure(richer.Model, validation, data.Task, richerPipeline.Transform).Losses);
            return new SimplerModelOutcome(linear, decision, richer.Name);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
