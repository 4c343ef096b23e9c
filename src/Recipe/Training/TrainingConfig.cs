namespace Recipe.Training;

/// <summary>
/// How to train. Defaults follow the recipe: Adam at 3e-4, a constant learning rate, no augmentation,
/// a fixed seed.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Passes over the training split (an upper bound when <see cref="MaxSteps"/> or a hook stops it sooner).</summary>
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
    /// Evaluate the validation split every this many optimizer steps instead of every <see cref="EvaluateEveryEpochs"/>
    /// epochs (null = per epoch). Small data needs it: one epoch of 150 rows is a single step.
    /// </summary>
    public int? EvaluateEverySteps { get; init; }

    /// <summary>
    /// How often to evaluate validation, in steps, so that the evaluations cost about a tenth of the training
    /// between them: an evaluation forwards every validation example once, a step forwards and backwards a
    /// batch (about three forwards), so the interval is at least 10 × validation / (3 × batch) steps. Within that,
    /// the epoch is cut into equal parts, so an epoch's end is always a validation point; at most an epoch, at
    /// least one step. Deterministic (sizes only), so the stopping step is the same on every run.
    /// </summary>
    public static int ValidationInterval(int trainCount, int validationCount, int batchSize)
    {
        int stepsPerEpoch = Math.Max(1, (trainCount + batchSize - 1) / batchSize);
        int cheap = (int)Math.Ceiling(10.0 * validationCount / (3.0 * Math.Min(batchSize, Math.Max(trainCount, 1))));
        int perEpoch = Math.Max(1, stepsPerEpoch / Math.Max(cheap, 1));
        return (stepsPerEpoch + perEpoch - 1) / perEpoch;
    }

    /// <summary>Evaluate the validation split at all (short diagnostic runs switch it off).</summary>
    public bool EvaluateValidation { get; init; } = true;
    /// <summary>
    /// Cut each batch of token sequences after its longest line (<see cref="Data.TrailingPadding"/>): the same loss, less
    /// work on padding. Recipe's own training runs (stage-3 trials, the final training) turn it on; off by default, because
    /// a check that joins the batches it sees needs them the same width.
    /// </summary>
    public bool TrimSequencePadding { get; init; }
    /// <summary>Keep memory libtorch frees after a step for the next step (see <see cref="NativeHeap"/>).</summary>
    public bool KeepFreedNativeMemory { get; init; } = true;
}
