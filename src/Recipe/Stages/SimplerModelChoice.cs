using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Progress;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>A model the run trained, with how its training went.</summary>
public sealed record TrainedModel(string Name, nn.Module<Tensor, Tensor> Model, TrainingConfig Config, TrainingStory Story);

/// <summary>The linear model fitted beside the default one, and which of the two the run keeps.</summary>
/// <param name="crossValidation">The cross-validated losses the decision rests on, or null when the validation split decided.</param>
public sealed class SimplerModelOutcome(TrainedModel linear, LinearFitResult fit, SimplerModelDecision decision, string richerName, CrossValidatedLosses? crossValidation = null) : IDisposable
{
    public TrainedModel Linear { get; } = linear;
    public LinearFitResult Fit { get; } = fit;
    public SimplerModelDecision Decision { get; } = decision;
    public CrossValidatedLosses? CrossValidation { get; } = crossValidation;

    /// <summary>The rule and its evidence, for summary.json.</summary>
    public string Rule => "one standard error of the per-example loss difference, on " +
                          (CrossValidation is { } cv ? $"{cv.Folds}-fold cross-validation of training + validation" : "the validation split");

    /// <summary>What the losses were measured on, for the report.</summary>
    public string Evidence => CrossValidation is { } cv
        ? $"{cv.Folds}-fold cross-validation on the {Decision.Examples} training and validation examples (the validation split alone, under {SimplerModelCrossValidation.ValidationBelow} examples, is too small to decide; each fold refits both models as configured: {richerName} for {cv.RicherSteps} steps, the linear model with that penalty)"
        : $"the {Decision.Examples} validation examples";

    /// <summary>One sentence for the report: which model was kept and on what evidence.</summary>
    public string Explanation =>
        $"Model choice: the linear model, fitted as {Fit.Method} with the L2 penalty validation chose ({Fit.Penalty:G2} of {Fit.PenaltiesTried} tried), scored a mean loss of {Decision.SimplerLoss:G4} " +
        $"against {Decision.RicherLoss:G4} for {richerName} on {Evidence}; the noise of that comparison (one standard error of the per-example difference) " +
        $"is {Decision.StandardError:G3}. " +
        (Decision.Errors is { } errors ? $"Misclassified: {errors.Simpler} by the linear model, {errors.Richer} by {richerName}. " : "") +
        (Decision.KeepRicher
            ? $"{richerName} is better by {Decision.Margin:F1} standard errors{(Decision.ErrorMargin is { } e ? $" and makes fewer mistakes by {e:F1}" : "")}, so it is kept."
            : Decision.Margin > 1
                ? $"{richerName}'s loss is lower by {Decision.Margin:F1} standard errors, but it does not misclassify fewer examples by more than one standard error of that difference ({Decision.ErrorMargin:F1}): a tie on what the task is scored by, so the simpler linear model is kept (it has less to overfit)."
                : $"{richerName} is not better by more than that, so the simpler linear model is kept (it has less to overfit).");

    public void Dispose() => Linear.Model.Dispose();
}

/// <summary>
/// "Don't be a hero": a linear model is the simplest model of the zoo, and on a small or nearly linear table it is
/// often the right one. When `recipe run` picked its default model itself, it also fits a linear model on the same
/// split, as well as a linear model can be fitted (<see cref="LinearFit"/>: ridge in closed form, or L2 logistic to
/// convergence, the penalty chosen on validation), and keeps it unless the default model is better on validation by
/// more than the comparison's own noise (<see cref="SimplerModelRule"/>). A validation split too small for that noise to be
/// honest is replaced by cross-validation on training and validation together (<see cref="SimplerModelCrossValidation"/>).
/// Tables only: a model the user named, a fixed number of epochs, text (no linear model in the zoo) and images (where the
/// default is a convolution net for its prior; dumb-baselines still records a linear model) are left as they are.
/// </summary>
public static class SimplerModelChoice
{
    public static bool Applies(RunOptions options, Dataset data, string modelName) =>
        options.Model is null && options.Epochs is null && modelName != "linear" && data.Task is TaskKind.Classification or TaskKind.Regression && data.ExampleShape.Length == 1;

    /// <param name="richer">The default model, already trained (its best weights in place).</param>
    public static SimplerModelOutcome Weigh(TrainedModel richer, Pipeline richerPipeline, RunOptions options, Dataset data, InputNormalizer normalizer, IProgressSink progress)
    {
        var (config, _) = RunStage.TrainingFor(options with { LearningRate = new CheckOptions().LinearLearningRate }, data, normalizer, "linear");
        var pipeline = Pipeline.Default(data, normalizer, "linear", config);
        using var scaledData = pipeline.Data == data ? null : pipeline.Data;
        Seeding.Apply(options.Seed);
        var model = pipeline.CreateModel();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            LinearFitResult fit;
            using (var task = progress.Start("fitting linear (the simpler model)", 1))
            {
                fit = FitLinear((IHasOutputLayer)model, pipeline);
                task.Advance();
            }
            var result = new TrainingResult([], [], fit.Iterations, $"fitted as {fit.Method}, L2 penalty {fit.Penalty:G2} chosen on validation", clock.Elapsed);
            var linear = new TrainedModel("linear", model, config, new TrainingStory(result, 0, null, null, null) { Solved = true });

            if (SimplerModelCrossValidation.Applies(data))
            {
                // a small validation split cannot tell the two apart honestly: every training and validation example is scored instead
                var folds = SimplerModelCrossValidation.Score(richer, richerPipeline, pipeline, fit.Penalty, normalizer, options.Seed, progress);
                return new SimplerModelOutcome(linear, fit, SimplerModelRule.Decide(folds.Simpler, folds.Richer, folds.Wrong), richer.Name, folds);
            }
            var validation = richerPipeline.Data.Validation; // the richer pipeline's view: standardized targets for a regression, like the linear one's
            var (simplerPredictions, richerPredictions) = (Diagnostics.SplitPredictions.Measure(model, validation, data.Task, pipeline.Transform),
                Diagnostics.SplitPredictions.Measure(richer.Model, validation, data.Task, richerPipeline.Transform));
            var decision = SimplerModelRule.Decide(simplerPredictions.Losses, richerPredictions.Losses, Wrong(simplerPredictions, richerPredictions));
            return new SimplerModelOutcome(linear, fit, decision, richer.Name);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    static (bool[] Simpler, bool[] Richer)? Wrong(Diagnostics.SplitPredictions simpler, Diagnostics.SplitPredictions richer) =>
        simpler.Labels is { } labels ? (Wrong(simpler.Predicted(), labels), Wrong(richer.Predicted(), labels)) : null;

    static bool[] Wrong(long[] predicted, long[] labels) => predicted.Select((p, i) => p != labels[i]).ToArray();

    static LinearFitResult FitLinear(IHasOutputLayer model, Pipeline pipeline)
    {
        using var scope = NewDisposeScope();
        var (train, validation) = (pipeline.Data.Train, pipeline.Data.Validation);
        return LinearFit.Fit(model.Output, pipeline.Data.Task,
            (pipeline.Transform(train.Inputs), train.Targets), (pipeline.Transform(validation.Inputs), validation.Targets));
    }
}
