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
    /// training, which the time lengthens (<see cref="Training.TrainingLength.ForTime"/>), is what the test score is made of: with
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
        // the same trial length as stage 3's, so both stages judge pipelines on the same passes over the data
        double fraction = options.QuickChecks ? OverfitStage.TrialFraction / 4 : OverfitStage.TrialFraction;
        int trialSteps = context.Overfit?.TrialSteps
                         ?? Math.Clamp((int)(context.BudgetSteps * fraction), 10, options.QuickChecks ? OverfitStage.MaxTrialSteps / 4 : OverfitStage.MaxTrialSteps);
        double? secondsPerStep = null;
        if (context.TimeLeft is not null && !options.QuickChecks)
        {
            // --budget: stage 4 judges regularizers where the baseline overfits, so its trials may run as long as its time
            // affords (each stops early once validation stops improving, so the limit is only reached by a model still improving)
            secondsPerStep = Trial.SecondsPerStep(context.Pipeline, options.Seed);
            trialSteps = TrialStepsForTime(allowed, secondsPerStep.Value, trialSteps);
        }
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
