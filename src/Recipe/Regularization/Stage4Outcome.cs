using Recipe.Checks;
using Recipe.Diagnostics;
using Recipe.Experiments;

namespace Recipe.Regularization;

/// <summary>What stage 4 is asked to do. Every default is a rule stated here, not a number tuned on one dataset.</summary>
public sealed record Stage4Options
{
    /// <summary>Seeds every trial; the noise seeds are the next ones (seed + 1, seed + 2, …).</summary>
    public long Seed { get; init; }

    /// <summary>Most optimizer steps of a trial (each stops earlier when validation stops improving, best weights kept).</summary>
    public int TrialSteps { get; init; } = 1000;

    /// <summary>Extra seeds the baseline is repeated with to measure the seed-to-seed noise of the validation loss.</summary>
    public int NoiseSeeds { get; init; } = 2;

    /// <summary>The ladder to try, in order; null: the recipe's (<see cref="RegularizationStep.Recipe"/>).</summary>
    public IReadOnlyList<RegularizationStep>? Ladder { get; init; }

    /// <summary>
    /// The smallest change that counts: a regularizer is predicted to lower the validation loss by at least this fraction
    /// of the current best's (and by more than the noise). Less is not worth a knob that must then be carried along.
    /// </summary>
    public double SmallestGain { get; init; } = 0.01;

    /// <summary>Wall time stage 4 may use; a step predicted to overrun it is skipped and reported. Null: no limit.</summary>
    public TimeSpan? TimeAllowed { get; init; }

    /// <summary>
    /// Measure the learning curve first: its full-size points are the baseline's trials; its subsets, smallest first, are
    /// trained while each fits in <see cref="LearningCurveShare"/> of the time (skipped when not even the smallest does).
    /// </summary>
    public bool LearningCurve { get; init; } = true;

    /// <summary>The learning curve may take at most this share of stage 4's time: the ladder and the ablation keep the rest.</summary>
    public double LearningCurveShare { get; init; } = 1.0 / 3;

    /// <summary>
    /// Leave the ladder's regularizers untried and undecided when the baseline's trial ended at its step limit rather than
    /// on validation (<see cref="Stage4Outcome.TrialTooShortToOverfit"/>: not shown to overfit, so no regularizer could show
    /// a gain at that length). Augmentations are still checked for consistency first.
    /// False: try every rung anyway (a user who wants the short trials' numbers).
    /// </summary>
    public bool DeferWhenNotShownToOverfit { get; init; } = true;

    /// <summary>
    /// How many times longer a rung's trial is run again when it ended at its step limit while its validation loss was
    /// still falling beyond the curve's jitter, already below the best's but within the noise: a regularizer that slows
    /// fitting (augmentation above all) is judged where it has caught up, beside a best that early stopping showed had
    /// reached its lowest (longer would not lower it). Once per rung, only when the time left affords it at the rung's
    /// own measured pace; a kept extended rung makes the later trials as long. 1: never extend.
    /// </summary>
    public int ExtendedTrialFactor { get; init; } = 4;

    /// <summary>Budgets of the augmentation-consistency check every augmentation passes before it is tried.</summary>
    public CheckOptions AugmentationCheck { get; init; } = CheckOptions.Quick;
}

/// <summary>One kept change removed alone at the end: what the validation loss is without it.</summary>
/// <param name="Worth">Validation loss without it minus with it: positive when it helps.</param>
public sealed record AblationEntry(string Knob, string Kept, string Without, double WithLoss, double WithoutLoss, double Worth, ExperimentVerdict Verdict, int Experiment);

/// <summary>A rung whose trial was run again longer (<see cref="Stage4Options.ExtendedTrialFactor"/>): the short trial's result and the long one's.</summary>
public sealed record ExtendedTrial(int Experiment, int ShortSteps, double ShortValidationLoss, int StepLimit, int Steps, double ValidationLoss, ExperimentVerdict Verdict);

/// <summary>
/// A regularizer stage 4 could not judge: tried and not kept while its trial was still improving, or not tried because the
/// baseline was not shown to overfit (<see cref="TrialValidationLoss"/> null): the experiment, the change and its knobs.
/// </summary>
public sealed record UndecidedRegularizer(int Experiment, string Kind, string Change, IReadOnlyDictionary<string, string> Knobs, double? TrialValidationLoss);

/// <summary>Stage 4's result: the best pipeline, the ladder's experiments, the learning curve, the ablation, and what was not tried and why.</summary>
public sealed record Stage4Outcome(Pipeline Best, IReadOnlyList<string> NotDeclared, IReadOnlyList<string> Skipped, double Seconds)
{
    /// <summary>Why the stage ran no trial at all (no knobs to vary); null when it ran.</summary>
    public string? NotRun { get; init; }
    public int TrialSteps { get; init; }
    /// <summary>The starting pipeline's early-stopped trial (seed), and its noise over more seeds; null when the stage did not run.</summary>
    public EarlyStoppedMeasurement? Baseline { get; init; }

    /// <summary>
    /// True when the baseline's trial ended at its step limit rather than on validation: early stopping never saw its
    /// validation loss stop improving, so it was not shown to overfit and a regularizer had nothing proven to trade
    /// against. Verdicts then say "too short", not "regularization does not help".
    /// </summary>
    public bool TrialTooShortToOverfit => Baseline is { StoppedOnValidation: false };

    /// <summary>Why the ladder's rungs were left untried and undecided (the baseline was not shown to overfit); null when they were tried.</summary>
    public string? LadderDeferred { get; init; }

    public SeedNoise? Noise { get; init; }
    public TrialMeasurement? BestMeasurement { get; init; }
    public LearningCurveReport? LearningCurve { get; init; }
    /// <summary>Why the learning curve was not measured; null when it was.</summary>
    public string? LearningCurveSkipped { get; init; }
    public IReadOnlyList<AblationEntry> Ablation { get; init; } = [];
    /// <summary>
    /// The regularizers not kept whose trial ended while their validation loss was still improving (lowest at the last evaluation), in the
    /// ladder's order: a trial that short could not show where they end up (the final training's horizon can).
    /// </summary>
    public IReadOnlyList<UndecidedRegularizer> Undecided { get; init; } = [];
    /// <summary>The rungs whose trial was run again longer because the short one ended still improving, in the ladder's order.</summary>
    public IReadOnlyList<ExtendedTrial> Extended { get; init; } = [];
    /// <summary>The step limit of the last trials: <see cref="TrialSteps"/>, or longer once an extended rung was kept.</summary>
    public int FinalTrialSteps { get; init; }
    /// <summary>The experiments this stage ran, refused or skipped, in order (ablations included).</summary>
    public IReadOnlyList<Experiment> Experiments { get; init; } = [];
}
