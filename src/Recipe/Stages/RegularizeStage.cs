using Recipe.Experiments;
using Recipe.Regularization;

namespace Recipe.Stages;

/// <summary>
/// Stage 4 in `recipe run`: <see cref="Stage4.Run"/> on stage 3's best pipeline within its share of the time, then the
/// pipeline it kept becomes the one the final training uses.
/// </summary>
public sealed class RegularizeStage : IRecipeStage
{
    /// <summary>
    /// Without --budget, stage 4 may use this much wall time (like <see cref="OverfitStage.DefaultAllowance"/>): on full
    /// Fashion-MNIST that is the baseline and its noise seeds and a rung or two, so `recipe run` stays a few minutes; what
    /// does not fit is skipped and reported. Tables and text finish far inside it.
    /// </summary>
    public static readonly TimeSpan DefaultAllowance = TimeSpan.FromMinutes(3);

    /// <summary>With --budget, stage 4 gets this share of what is left after stages 1–3; the rest trains the final model (`recipe regularize`: all of it). Stages 3 and 4 are probes; the final
    /// training, which with --budget trains until its plateau or the clock (<see cref="Training.TrainUntilPlateau"/>), is what the test score is made of: with
    /// two 30 % shares it keeps about half the budget, plus whatever a stage leaves unused.
    /// </summary>
    public const double BudgetShare = 0.3;

    /// <summary>
    /// The trials stage 4 plans its time for: the baseline and its two noise seeds, the learning curve's smaller subsets,
    /// and the ladder's few regularizers, most of which stop early; with --budget each trial may last this share of the stage's time.
    /// </summary>
    public const int PlannedTrials = 10;

    /// <summary>
    /// A trial's step limit with --budget: what <see cref="PlannedTrials"/> trials in the time allowed afford at the model's measured
    /// seconds per step, never below stage 3's trial length (<paramref name="floor"/>) nor above <see cref="Training.TrainingLength.MaxSteps"/>.
    /// </summary>
    public static int TrialStepsForTime(TimeSpan allowed, double secondsPerStep, int floor) =>
        TimedTrialLength.Steps(allowed, secondsPerStep, floor, PlannedTrials);

    /// <summary>
    /// Stage 4's trial length. Without --budget, stage 3's (<paramref name="stage3Steps"/>, else the step rule's), so both
    /// stages judge pipelines on the same passes over the data. With --budget (<paramref name="timed"/>: stage 4's time and
    /// its model's measured seconds per step), as long as its own time affords — regularizers are judged where the baseline
    /// overfits, and each trial stops early once validation stops improving — floored at the step rule's length, not at
    /// stage 3's: stage 3's trials were sized to its own time and its smaller model, and as a floor they made the kept
    /// larger model's trials overrun stage 4's time, so the stage was refused (a 60-minute Fashion-MNIST run: 7,000-step
    /// trials of cnn 32).
    /// </summary>
    public static int TrialLength(int stepRule, int? stage3Steps, (TimeSpan Allowed, double SecondsPerStep)? timed) =>
        timed is { } t ? TrialStepsForTime(t.Allowed, t.SecondsPerStep, stepRule) : stage3Steps ?? stepRule;

    public string Name => Stage4.StageName;

    public StageOutcome Run(RunContext context)
    {
        var options = context.Options;
        if (options.SkipRegularize) return StageOutcome.Continue;
        if (options.InitFrom is not null)
        {
            // a smaller or larger model would leave the pretrained weights behind
            context.Report.RegularizeSkipped($"Stage 4 was skipped: training fine-tunes the weights of {options.InitFrom} (--init-from), whose architecture it keeps.");
            return StageOutcome.Continue;
        }
        var allowed = context.AllowanceFor(BudgetShare, options.RegularizeTime, DefaultAllowance);
        int stepRule = OverfitStage.StepRuleTrialSteps(context.BudgetSteps, options.QuickChecks);
        double? secondsPerStep = null;
        if (context.TimeLeft is not null && !options.QuickChecks) secondsPerStep = Trial.SecondsPerStep(context.Pipeline, options.Seed);
        int trialSteps = TrialLength(stepRule, context.Overfit?.TrialSteps, secondsPerStep is { } sps ? (allowed, sps) : null);
        var stage4 = new Stage4Options
        {
            Seed = options.Seed,
            TrialSteps = trialSteps,
            TimeAllowed = allowed,
            LearningCurve = !options.QuickChecks, // sizes × seeds extra trainings: not for a quick run
            AugmentationCheck = Checks.CheckOptions.Quick with { Seed = options.Seed }, // the gate before each augmentation: the quick budgets judge a label swap
        };
        // early stopping may end the baseline's trials sooner; the admission counts their full length
        if (BaselineAdmission.Refusal(1 + stage4.NoiseSeeds, trialSteps, secondsPerStep ??= Trial.SecondsPerStep(context.Pipeline, options.Seed), allowed, "Stage 4") is { } refused)
        {
            context.SkipStage(Name, refused);
            context.Report.RegularizeSkipped(refused + ".");
            context.Phases.Lap(Name);
            return StageOutcome.Continue;
        }
        var outcome = Stage4.Run(context.Pipeline, stage4, context.Experiments, context.Progress);
        context.Regularize = outcome;
        context.Pipeline = outcome.Best;
        context.Report.Regularize(outcome, context.Output.Staging);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }
}
