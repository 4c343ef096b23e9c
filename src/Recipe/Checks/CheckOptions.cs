namespace Recipe.Checks;

/// <summary>
/// How much work the checks do. The defaults keep the whole stage-2 suite to about a minute on two CPU
/// cores for a small CNN; <see cref="Quick"/> is for tests on tiny data and models.
/// </summary>
public sealed record CheckOptions
{
    /// <summary>The seed of every check run; null uses the pipeline's training seed.</summary>
    public long? Seed { get; init; }
    /// <summary>Steps of the shared short run (input-independent baseline, dumb baselines, loss decrease, prediction dynamics).</summary>
    public int ShortRunSteps { get; init; } = 400;
    /// <summary>
    /// Batch size of the short runs. Smaller than a typical training batch on purpose: more updates per second of
    /// CPU, so a small model gets past the dumb baselines within the budget. The larger-model run takes a quarter of the steps (CheckContext.CapacitySteps).
    /// </summary>
    public int ShortRunBatchSize { get; init; } = 32;
    /// <summary>Steps of each of the two seed-reproducibility runs.</summary>
    public int ReproducibilitySteps { get; init; } = 5;
    /// <summary>
    /// How to rebuild the same pipeline in a new process, for seed-reproducible's second run (randomness drawn once per
    /// process is invisible inside one). `recipe check` sets it; null (an in-memory pipeline) falls back to a second run
    /// in this process, and the evidence says so.
    /// </summary>
    public FreshProcess? FreshProcess { get; init; } = FreshProcess.Ambient;
    /// <summary>Longest wait for the fresh process (startup, loading the data, a few steps).</summary>
    public TimeSpan FreshProcessTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Steps of the gradient-health run and of the training before the loss-gradient probe.</summary>
    public int HealthSteps { get; init; } = 10;
    /// <summary>Steps of the two runs that compare the pipeline's init with a final bias from the priors.</summary>
    public int BiasSteps { get; init; } = 30;
    /// <summary>Examples in the batch to overfit (distinct labels where possible).</summary>
    public int OverfitExamples { get; init; } = 4;
    /// <summary>Most steps spent overfitting that batch (stops early once the loss is low).</summary>
    public int OverfitMaxSteps { get; init; } = 1500;
    /// <summary>Examples whose loss at init is measured.</summary>
    public int InitExamples { get; init; } = 1000;
    /// <summary>Examples in a probe batch (gradients, loss coverage, dead units, evaluation determinism).</summary>
    public int ProbeExamples { get; init; } = 128;
    /// <summary>Training examples on which training losses are compared (a fixed subset, whole, not batch noise).</summary>
    public int TrainProbeExamples { get; init; } = 2000;
    /// <summary>Steps of the linear baseline (Adam, its own learning rate).</summary>
    public int LinearSteps { get; init; } = 1500;
    public double LinearLearningRate { get; init; } = 3e-3;
    public int LinearBatchSize { get; init; } = 256;
    /// <summary>Validation examples whose predictions are recorded during the short run.</summary>
    public int DynamicsExamples { get; init; } = 32;
    /// <summary>How many times the short run records them.</summary>
    public int DynamicsSnapshots { get; init; } = 40;
    /// <summary>Examples that enter model(x) in the batch/causal dependency probes.</summary>
    public int DependencyExamples { get; init; } = 4;

    /// <summary>
    /// Stage 1's image fingerprints, handed over by `recipe run` (<see cref="Inspect.FingerprintHandOff"/>): split-integrity
    /// uses them when they are of its own splits' images, instead of computing them again. Null: it computes its own.
    /// </summary>
    public Inspect.FingerprintHandOff? StageOneFingerprints { get; init; }

    /// <summary>Small budgets for tests on a few hundred examples and a tiny model.</summary>
    public static CheckOptions Quick => new()
    {
        ShortRunSteps = 120,
        ShortRunBatchSize = 32,
        ReproducibilitySteps = 3,
        HealthSteps = 5,
        BiasSteps = 20,
        OverfitMaxSteps = 800,
        InitExamples = 256,
        ProbeExamples = 64,
        TrainProbeExamples = 512,
        LinearSteps = 300,
        DynamicsSnapshots = 20,
    };
}
