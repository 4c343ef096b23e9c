using Recipe.Checks;
using Recipe.Data;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Diagnostics;

/// <summary>How long a diagnostic training (a fold, a point of the learning curve) may run.</summary>
/// <param name="MaxSteps">Hard cap on optimizer steps: it bounds the cost whatever the data size.</param>
/// <param name="EarlyStopping">Stop when validation stops improving and keep the best weights (needs the validation split).</param>
public sealed record ShortTrainingSpec(int MaxSteps, bool EarlyStopping);

/// <summary>
/// Trains a fresh model of a pipeline (any user's <see cref="Pipeline"/>: its model factory, loss, transform,
/// augmentation and optimizer) on a chosen training split, with the same loop as `recipe run`. The diagnostics
/// that retrain (k-fold label errors, the learning curve) all go through here.
/// </summary>
public static class ShortTraining
{
    /// <summary>The trained model (the caller disposes it) and the loop's result.</summary>
    public static (nn.Module<Tensor, Tensor> Model, TrainingResult Result) Run(Pipeline pipeline, DataSplit train, ShortTrainingSpec spec, long seed)
    {
        Seeding.Apply(seed);
        var model = pipeline.CreateModel();
        int batch = Math.Min(pipeline.Training.BatchSize, Math.Max(1, train.Count));
        int stepsPerEpoch = Math.Max(1, (train.Count + batch - 1) / batch);
        var config = pipeline.Training with
        {
            BatchSize = batch,
            Seed = seed,
            Epochs = (spec.MaxSteps + stepsPerEpoch - 1) / stepsPerEpoch,
            MaxSteps = spec.MaxSteps,
            EvaluateValidation = spec.EarlyStopping,
            EvaluateAtStart = spec.EarlyStopping,
            EvaluateEverySteps = spec.EarlyStopping ? TrainingConfig.ValidationInterval(train.Count, pipeline.Data.Validation.Count, batch) : null,
        };
        using var setup = pipeline.CreateOptimizer(model.parameters(), new TrainingPlan(stepsPerEpoch, config.Epochs, spec.MaxSteps));
        using var identity = InputNormalizer.Identity(); // the pipeline's Transform is what enters the model
        using var earlyStopping = spec.EarlyStopping ? new EarlyStopping() : null;
        var hooks = new List<ITrainingHook>();
        if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
        if (earlyStopping is not null) hooks.Add(earlyStopping);
        var context = pipeline.ContextFor(model, setup, identity, config) with { TrainSplit = train };
        var result = new Trainer(hooks).Fit(context);
        return (model, result);
    }
}
