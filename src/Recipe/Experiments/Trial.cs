using Recipe.Checks;
using Recipe.Data;
using Recipe.Progress;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Experiments;

/// <summary>
/// One seeded training run of a pipeline for a fixed number of steps, then measured: the unit an experiment compares.
/// The same steps for every trial of a stage, so a bigger model is judged on how well it fits the same data passes.
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
        var (model, trained, losses) = Train(pipeline, seed, steps, progress, label, initialize);
        using var _ = model;
        var data = pipeline.Data;
        int batchSize = Math.Min(pipeline.Training.BatchSize, data.Train.Count);
        using var sample = CheckContext.First(data.Train, TrainSampleSize, "train-sample");
        var train = Evaluation.Run(model, sample, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
        var validation = Evaluation.Run(model, data.Validation, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
        return new TrialMeasurement(seed, trained, train.Loss, validation.Loss, validation.Accuracy, Math.Round(clock.Elapsed.TotalSeconds, 2), Thin(losses));
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

    static (TorchSharp.torch.nn.Module<Tensor, Tensor> Model, int Steps, IReadOnlyList<double> Losses) Train(Pipeline pipeline, long seed, int steps, IProgressSink? progress = null, string? label = null,
        Action<nn.Module<Tensor, Tensor>>? initialize = null)
    {
        progress ??= NullProgress.Instance;
        var data = pipeline.Data;
        int batchSize = Math.Min(pipeline.Training.BatchSize, data.Train.Count);
        int perEpoch = (data.Train.Count + batchSize - 1) / batchSize;
        var config = pipeline.Training with
        {
            Seed = seed, BatchSize = batchSize, MaxSteps = steps, Epochs = (steps + perEpoch - 1) / perEpoch,
            EvaluateValidation = false, EvaluateEverySteps = null, TrimSequencePadding = true,
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
            var result = new Trainer(hooks).Fit(context);
            return (model, result.Steps, result.StepLosses);
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
