namespace Recipe.Experiments;

/// <summary>
/// What one seeded trial of a pipeline measured: the training loss (whole fixed sample of the training split, eval
/// mode, after the last step), the whole validation split, the batch-loss curve and the time it took.
/// </summary>
/// <remarks>
/// A <see cref="Trial"/> reports the lowest validation loss of its evaluations (and that evaluation's accuracy), at
/// <see cref="ValidationStep"/>; an early-stopped trial reports its restored best weights'.
/// </remarks>
public sealed record TrialMeasurement(
    long Seed,
    int Steps,
    double TrainLoss,
    double ValidationLoss,
    double? ValidationAccuracy,
    double Seconds,
    IReadOnlyList<double> Curve)
{
    /// <summary>The step whose validation is reported (the lowest of the trial's evaluations); null when not recorded.</summary>
    public int? ValidationStep { get; init; }

    /// <summary>The validation loss of the last step's weights, when the trial reports the lowest of several (else null).</summary>
    public double? LastValidationLoss { get; init; }

    /// <summary>A metric by name, as predictions name them.</summary>
    public double Metric(string name) => name switch
    {
        Metrics.TrainLoss => TrainLoss,
        Metrics.ValidationLoss => ValidationLoss,
        Metrics.ValidationAccuracy => ValidationAccuracy ?? double.NaN,
        _ => throw new ArgumentException($"no metric '{name}'; metrics: {Metrics.TrainLoss}, {Metrics.ValidationLoss}, {Metrics.ValidationAccuracy}"),
    };
}

/// <summary>The metrics an experiment can predict.</summary>
public static class Metrics
{
    public const string TrainLoss = "train_loss";
    public const string ValidationLoss = "validation_loss";
    public const string ValidationAccuracy = "validation_accuracy";
}
