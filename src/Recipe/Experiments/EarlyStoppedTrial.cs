using Recipe.Checks;
using Recipe.Data;
using Recipe.Progress;
using Recipe.Training;

namespace Recipe.Experiments;

/// <summary>An early-stopped trial: its measurement (taken with the best weights put back), and the validation curve it stopped on.</summary>
/// <param name="Validations">(step, whole-split validation loss) at every evaluation, the first at step 0.</param>
/// <param name="BestStep">The step with the lowest validation loss, whose weights were measured.</param>
/// <param name="RestoredStep">The step whose weights were put back, or null when the last weights were the best.</param>
public sealed record EarlyStoppedMeasurement(
    TrialMeasurement Measurement,
    IReadOnlyList<(int Step, double Loss)> Validations,
    int BestStep,
    int? RestoredStep,
    string StopReason)
{
    /// <summary>
    /// True when early stopping ended the trial (its validation loss stopped improving); false when the step limit did,
    /// while validation was still improving: the trial said nothing about where this pipeline would end.
    /// </summary>
    public bool StoppedOnValidation => StopReason.StartsWith(EarlyStopping.StopReasonStart, StringComparison.Ordinal);

    /// <summary>The most steps the trial was allowed.</summary>
    public int StepLimit { get; init; }

    /// <summary>True when nothing in the run was planned against its step limit: no learning-rate schedule (a constant rate).</summary>
    public bool ConstantRate { get; init; }

    /// <summary>
    /// True when a trial of the same pipeline and seed with at most <paramref name="limit"/> steps would be this one, step
    /// for step: early stopping ended it (the limit did not), the longer limit lets it get there, and no schedule was
    /// planned against the limit. Early stopping's patience counts evaluations since the best, never the limit.
    /// </summary>
    public bool RepeatsAt(int limit) => StoppedOnValidation && ConstantRate && limit >= StepLimit;

    /// <summary>
    /// True when the step limit, not early stopping, ended the trial while its validation loss was still falling beyond
    /// the curve's own jitter over the trial's second half — the question the final training asks before it grants a
    /// budget more steps (<see cref="ValidationGain"/>), so "still improving" means here what it means there. The trial
    /// then did not show where this pipeline ends up. Not "the best was the last evaluation": that flipped on noise
    /// between runs whose timed trials differed by a few hundred steps (Fashion-MNIST, dropout 0.2, session 24).
    /// A curve too short to measure its jitter (fewer than three evaluations) falls back to "the best was the last".
    /// </summary>
    public bool StillImproving
    {
        get
        {
            if (StoppedOnValidation || Validations.Count < 2) return false;
            int last = Validations[^1].Step;
            var (beyond, tooEarly, _) = ValidationGain.Judge(Validations, windowStart: last / 2);
            return tooEarly ? BestStep == last : beyond;
        }
    }
}

/// <summary>
/// A trial for stage 4, where experiments are judged on validation loss: the same seeded run as <see cref="Trial.Run"/>,
/// but the whole validation split is evaluated every few steps, training stops when it stops improving, and the
/// weights of the lowest validation loss are put back before measuring (<see cref="EarlyStopping"/>). A regularizer
/// then competes with early stopping, as it does in the final run, rather than with an arbitrary stopping step.
/// </summary>
public static class EarlyStoppedTrial
{
    public static EarlyStoppedMeasurement Run(Pipeline pipeline, long seed, int maxSteps, IProgressSink? progress = null, string? label = null)
    {
        progress ??= NullProgress.Instance;
        var data = pipeline.Data;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int batchSize = Math.Max(1, Math.Min(pipeline.Training.BatchSize, data.Train.Count));
        int perEpoch = (data.Train.Count + batchSize - 1) / batchSize;
        var config = pipeline.Training with
        {
            Seed = seed, BatchSize = batchSize, MaxSteps = maxSteps, Epochs = (maxSteps + perEpoch - 1) / perEpoch,
            EvaluateValidation = true, EvaluateAtStart = true,
            EvaluateEverySteps = TrainingConfig.ValidationInterval(data.Train.Count, data.Validation.Count, batchSize),
        };
        Seeding.Apply(seed);
        using var model = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(model.parameters(), new TrainingPlan(perEpoch, config.Epochs, maxSteps));
        using var identity = InputNormalizer.Identity(); // the pipeline's Transform is what enters the model
        using var earlyStopping = new EarlyStopping();
        var hooks = new List<ITrainingHook> { new ProgressHook(progress, label ?? $"trial (seed {seed}, early stopping)", maxSteps), earlyStopping };
        if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
        var result = new Trainer(hooks).Fit(pipeline.ContextFor(model, setup, identity, config));

        using var sample = CheckContext.First(data.Train, Trial.TrainSampleSize, "train-sample");
        var train = Evaluation.Run(model, sample, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
        var validation = Evaluation.Run(model, data.Validation, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
        var measurement = new TrialMeasurement(seed, result.Steps, train.Loss, validation.Loss, validation.Accuracy,
            Math.Round(clock.Elapsed.TotalSeconds, 2), Thin(result.StepLosses));
        return new EarlyStoppedMeasurement(measurement, result.Validations.Select(v => (v.Step, v.Result.Loss)).ToList(),
            earlyStopping.BestStep, earlyStopping.RestoredStep, result.StopReason) { StepLimit = maxSteps, ConstantRate = setup.Schedule is null };
    }

    /// <summary>At most 100 points of the batch-loss curve (means of equal runs), as <see cref="Trial"/> keeps them.</summary>
    static IReadOnlyList<double> Thin(IReadOnlyList<double> losses)
    {
        int k = Math.Max(1, (losses.Count + 99) / 100);
        return Enumerable.Range(0, (losses.Count + k - 1) / k).Select(i => Math.Round(losses.Skip(i * k).Take(k).Average(), 5)).ToList();
    }
}
