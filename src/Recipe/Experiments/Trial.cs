using Recipe.Checks;
using Recipe.Data;
using Recipe.Progress;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Experiments;

/// <summary>
/// One seeded training run of a pipeline for a fixed number of steps, then measured: the unit an experiment compares.
/// The same steps for every trial of a stage, so a bigger model is judged on how well it fits the same data passes.
/// The training loss is the last weights' (how far the pipeline fits its data in those steps); the validation loss is
/// the lowest the trial saw at its evaluations (every <see cref="TrainingConfig.ValidationInterval"/> steps and at the
/// end), because early stopping keeps those weights in every real training: judged at the last step instead, a pipeline
/// that learns faster (a higher learning rate, a larger model) is blamed for overfitting inside the trial, which early
/// stopping would never have shown the user.
/// </summary>
public static class Trial
{
    /// <summary>Training examples whose loss is "the training loss": a fixed sample, the same for every trial.</summary>
    public const int TrainSampleSize = 2048;

    /// <summary>Points kept of the batch-loss curve (summary.json stays small; the shape survives).</summary>
    const int CurvePoints = 100;

    /// <param name="initialize">
    /// Runs on the fresh model before its first step (fine-tuning: loads a checkpoint's weights into it); null: the
    /// pipeline's own initialization.
    /// </param>
    public static TrialMeasurement Run(Pipeline pipeline, long seed, int steps, IProgressSink? progress = null, string? label = null,
        Action<nn.Module<Tensor, Tensor>>? initialize = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (model, result) = Train(pipeline, seed, steps, progress, label, initialize, trackValidation: true);
        using var _ = model;
        var data = pipeline.Data;
        using var sample = CheckContext.First(data.Train, TrainSampleSize, "train-sample");
        var train = Evaluation.Run(model, sample, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
        var lowest = LowestValidation(result.Validations);
        return new TrialMeasurement(seed, result.Steps, train.Loss, lowest.Result.Loss, lowest.Result.Accuracy, Math.Round(clock.Elapsed.TotalSeconds, 2), Thin(result.StepLosses))
        {
            ValidationStep = lowest.Step, LastValidationLoss = result.Validations[^1].Result.Loss,
        };
    }

    /// <summary>The evaluation with the lowest validation loss (the earliest of equals; a NaN loss never wins).</summary>
    static ValidationPoint LowestValidation(IReadOnlyList<ValidationPoint> validations)
    {
        if (validations.Count == 0) throw new ArgumentException("a trial with validation tracking evaluates at least at its last step");
        var lowest = validations[0];
        foreach (var point in validations.Skip(1))
            if (point.Result.Loss < lowest.Result.Loss || double.IsNaN(lowest.Result.Loss) && !double.IsNaN(point.Result.Loss)) lowest = point;
        return lowest;
    }

    /// <summary>
    /// Wall seconds per training step of the pipeline, measured over a few steps after one warm-up step (no evaluation):
    /// what a trial of it will cost, predicted from the machine as it is now rather than from multiply-adds, which miss a
    /// step's fixed overhead on small models.
    /// </summary>
    public static double SecondsPerStep(Pipeline pipeline, long seed, int steps = 8)
    {
        Train(pipeline, seed, 1).Model.Dispose();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Train(pipeline, seed, steps).Model.Dispose();
        return clock.Elapsed.TotalSeconds / steps;
    }

    static (nn.Module<Tensor, Tensor> Model, TrainingResult Result) Train(Pipeline pipeline, long seed, int steps, IProgressSink? progress = null, string? label = null,
        Action<nn.Module<Tensor, Tensor>>? initialize = null, bool trackValidation = false)
    {
        progress ??= NullProgress.Instance;
        var data = pipeline.Data;
        int batchSize = Math.Min(pipeline.Training.BatchSize, data.Train.Count);
        int perEpoch = (data.Train.Count + batchSize - 1) / batchSize;
        var config = pipeline.Training with
        {
            Seed = seed, BatchSize = batchSize, MaxSteps = steps, Epochs = (steps + perEpoch - 1) / perEpoch,
            EvaluateValidation = trackValidation, EvaluateAtStart = false, TrimSequencePadding = true,
            EvaluateEverySteps = trackValidation ? TrainingConfig.ValidationInterval(data.Train.Count, data.Validation.Count, batchSize) : null,
        };
        Seeding.Apply(seed);
        var model = pipeline.CreateModel();
        initialize?.Invoke(model);
        using var setup = pipeline.CreateOptimizer(model.parameters(), new TrainingPlan(perEpoch, config.Epochs, steps));
        using var identity = InputNormalizer.Identity();
        var hooks = new List<ITrainingHook> { new ProgressHook(progress, label ?? $"trial (seed {seed})", steps) };
        if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
        try
        {
            var context = new TrainingContext(model, data, identity, setup.Optimizer, config) { Loss = pipeline.Loss, Transform = pipeline.Transform, Augment = pipeline.Augment };
            return (model, new Trainer(hooks).Fit(context));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The training loss (the same fixed sample) of the untrained model (or the one <paramref name="initialize"/> set): the top of the scale the floor is measured on.</summary>
    public static double LossAtInit(Pipeline pipeline, long seed, Action<nn.Module<Tensor, Tensor>>? initialize = null)
    {
        Seeding.Apply(seed);
        using var model = pipeline.CreateModel();
        initialize?.Invoke(model);
        using var sample = CheckContext.First(pipeline.Data.Train, TrainSampleSize, "train-sample");
        return Evaluation.Run(model, sample, pipeline.Data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500).Loss;
    }

    /// <summary>Every k-th batch loss (mean of each run of k), at most <see cref="CurvePoints"/> points.</summary>
    static IReadOnlyList<double> Thin(IReadOnlyList<double> losses)
    {
        int k = Math.Max(1, (losses.Count + CurvePoints - 1) / CurvePoints);
        return Enumerable.Range(0, (losses.Count + k - 1) / k).Select(i => Math.Round(losses.Skip(i * k).Take(k).Average(), 5)).ToList();
    }
}
