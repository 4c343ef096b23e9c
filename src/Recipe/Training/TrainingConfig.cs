namespace Recipe.Training;

/// <summary>
/// How to train. Defaults follow the recipe: Adam at 3e-4, a constant learning rate, no augmentation,
/// a fixed seed.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Passes over the training split.</summary>
    public int Epochs { get; init; } = 2;
    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam's learning rate ("3e-4 is safe").</summary>
    public double LearningRate { get; init; } = 3e-4;
    /// <summary>Seeds torch, .NET randomness and the data order.</summary>
    public long Seed { get; init; } = 0;
    /// <summary>Stop after this many steps (null = run every epoch to the end).</summary>
    public int? MaxSteps { get; init; }
    /// <summary>Evaluate the validation split every this many epochs (whole split each time).</summary>
    public int EvaluateEveryEpochs { get; init; } = 1;
    /// <summary>Evaluate the validation split before the first step too (epoch 0), so curves start at init.</summary>
    public bool EvaluateAtStart { get; init; } = true;

    /// <summary>
    /// Epochs for about <paramref name="targetSteps"/> optimizer steps, between 1 and <paramref name="maxEpochs"/>:
    /// a small dataset gets more passes, a large one fewer, so a default run neither stops at the
    /// "hockey stick" nor takes an hour.
    /// </summary>
    public static int EpochsForSteps(int trainCount, int batchSize, int targetSteps = 800, int maxEpochs = 10)
    {
        int stepsPerEpoch = Math.Max(1, (trainCount + batchSize - 1) / batchSize);
        return Math.Clamp((targetSteps + stepsPerEpoch - 1) / stepsPerEpoch, 1, maxEpochs);
    }
    /// <summary>Evaluate the validation split at all (short diagnostic runs switch it off).</summary>
    public bool EvaluateValidation { get; init; } = true;
    /// <summary>Keep memory libtorch frees after a step for the next step (see <see cref="NativeHeap"/>).</summary>
    public bool KeepFreedNativeMemory { get; init; } = true;
}
