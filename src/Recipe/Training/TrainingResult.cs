namespace Recipe.Training;

/// <summary>What one training run did: the loss of every step, the validation curve, and why it stopped.</summary>
public sealed record TrainingResult(
    IReadOnlyList<double> StepLosses,
    IReadOnlyList<EpochInfo> Epochs,
    int Steps,
    string StopReason,
    TimeSpan Elapsed)
{
    /// <summary>Every whole-split validation in the order measured (at init, then every few steps or epochs).</summary>
    public IReadOnlyList<ValidationPoint> Validations { get; init; } = [];
}
