using Recipe.Checks;
using Recipe.Experiments;

namespace Recipe.Stages;

/// <summary>
/// Stage 3 in `recipe run`: <see cref="Stage3.Run"/> on the checked skeleton within its share of the time, then the
/// pipeline it kept becomes the one the final training uses.
/// </summary>
public sealed class OverfitStage : IRecipeStage
{
    /// <summary>
    /// Without --budget, stage 3 may use this much wall time: on full Fashion-MNIST (2 shared cores) that is the baseline,
    /// its two noise seeds and one or two capacity rungs, so `recipe run` stays a few minutes; larger rungs are skipped
    /// and reported. Tables and text finish far inside it.
    /// </summary>
    public static readonly TimeSpan DefaultAllowance = TimeSpan.FromMinutes(3);

    /// <summary>With --budget, stage 3 gets this share of what is left after stages 1 and 2; the rest trains the final model (`recipe overfit`: all of it). Stages 3 and 4 are probes; the final
    /// training, which with --budget trains until its plateau or the clock (<see cref="Training.TrainUntilPlateau"/>), is what the test score is made of: with
    /// two 30 % shares it keeps about half the budget, plus whatever a stage leaves unused.
    /// </summary>
    public const double BudgetShare = 0.3;

    /// <summary>
    /// Every trial trains this fraction of the final run's step budget (with --quick-checks, a quarter of that): enough
    /// passes to tell model sizes apart, cheap enough to try several. Equal steps favour a small fast learner, so a
    /// candidate this length cannot decide (inconclusive, or behind while still falling faster) gets a second trial twice
    /// as long beside the best (<see cref="Stage3Options.LongerTrialFactor"/>): the extra time goes to the close calls only.
    /// </summary>
    public const double TrialFraction = 0.25;

    /// <summary>
    /// A trial is a probe, not a training run: at most this many steps (about 2.4 Fashion-MNIST epochs at batch 128), so
    /// a small table, whose final run may take up to 10,000 tiny steps, does not spend minutes on every rung.
    /// </summary>
    public const int MaxTrialSteps = 1000;

    /// <summary>
    /// The trials stage 3 plans its time for, counted in trials of the skeleton: the baseline and its two noise seeds, the
    /// learning rate, and the rungs, which cost two to five skeleton trials each (a wider model, the next architecture) and
    /// may need a second trial twice as long. With --budget each trial may last this share of the stage's time
    /// (<see cref="TimedTrialLength"/>); what does not fit is still skipped and reported.
    /// </summary>
    public const int PlannedTrials = 12;

    /// <summary>
    /// A trial's length without --budget (and the floor with it): <see cref="TrialFraction"/> of the final run's step
    /// budget, within [10, <see cref="MaxTrialSteps"/>]; with --quick-checks a quarter of both. Steps, not seconds, so a
    /// seed fixes what the stage measures whatever the machine's load.
    /// </summary>
    public static int StepRuleTrialSteps(int budgetSteps, bool quick) =>
        Math.Clamp((int)(budgetSteps * (quick ? TrialFraction / 4 : TrialFraction)), 10, quick ? MaxTrialSteps / 4 : MaxTrialSteps);

    /// <summary>The range test's curve, beside the report.</summary>
    public const string LearningRatePicture = "overfit/lr-range-test.png";

    public string Name => "overfit";

    public StageOutcome Run(RunContext context)
    {
        var options = context.Options;
        if (options.SkipOverfit) return StageOutcome.Continue;
        if (options.InitFrom is not null)
        {
            // the checkpoint fixes the architecture: climbing the ladder would leave the pretrained weights behind
            if (context.FineTune is null) // FineTuneStage ran stage 3 already otherwise
                context.Report.OverfitSkipped($"Stage 3 was skipped: training fine-tunes the weights of {options.InitFrom} (--init-from), whose architecture it keeps.");
            return StageOutcome.Continue;
        }
        // the last stage of a command (`recipe overfit`) may use all of --budget that is left; otherwise its share
        var allowed = context.AllowanceFor(BudgetShare, options.OverfitTime, DefaultAllowance);
        var stage3 = new Stage3Options
        {
            Seed = options.Seed,
            TrialSteps = StepRuleTrialSteps(context.BudgetSteps, options.QuickChecks),
            TimeAllowed = allowed,
            SuggestLearningRate = LearningRateSuggestions.RangeTest(options.Seed, Path.Combine(context.Output.Staging, LearningRatePicture)),
            SuggestLearningRateForArchitecture = LearningRateSuggestions.RangeTest(options.Seed, picturePath: null),
            Rechecks = (options.QuickChecks ? CheckOptions.Quick : new CheckOptions()) with { Seed = options.Seed },
        };
        double secondsPerStep = Trial.SecondsPerStep(context.Skeleton, options.Seed);
        // --budget: trials as long as the stage's time affords, so a larger model is judged after the steps it needs to
        // show its capacity (at a fixed 211 steps on Fashion-MNIST, cnn 32 and vgg stayed within the noise of cnn 16)
        if (context.TimeLeft is not null && !options.QuickChecks)
            stage3 = stage3 with { TrialSteps = TimedTrialLength.Steps(allowed, secondsPerStep, stage3.TrialSteps!.Value, PlannedTrials) };
        if (BaselineAdmission.Refusal(1 + stage3.NoiseSeeds, stage3.TrialSteps!.Value, secondsPerStep, allowed, "Stage 3") is { } refused)
        {
            context.SkipStage(Name, refused);
            context.Report.OverfitSkipped(refused + ".");
            context.Phases.Lap(Name);
            return StageOutcome.Continue;
        }
        context.Experiments.Finished += e => ShowFinished(context, e);
        var outcome = Stage3.Run(context.Skeleton, stage3, context.Experiments, context.Progress);
        context.Overfit = outcome;
        context.Pipeline = outcome.Best;
        context.Report.Overfit(outcome, context.Experiments.All, context.Output.Staging, LearningRatePicture);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }

    /// <summary>Each experiment on screen as it finishes: a finished progress row with its verdict.</summary>
    static void ShowFinished(RunContext context, Experiment e)
    {
        string verdict = e.Skipped ? "skipped" : $"{e.Verdict!.Value.ToString().ToLowerInvariant()}, {(e.Kept ? "kept" : "not kept")}";
        string numbers = e.Skipped ? "" : $": train loss {e.Baseline:G4} → {e.Outcome:G4}, {e.Measurement!.Seconds:F0} s";
        using var row = context.Progress.Start($"experiment {e.Number} ({e.Kind}) {e.Change}: {verdict}{numbers}", 1);
        row.Advance();
    }
}
