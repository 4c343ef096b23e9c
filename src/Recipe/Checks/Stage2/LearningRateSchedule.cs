using Recipe.Reporting;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Audit the learning-rate schedule over the real run, step by step, before spending the run: a
/// schedule written in epochs (ImageNet's "divide by 10 every 30 epochs") but stepped per iteration,
/// or planned for a longer run, takes the rate to ~0 long before training ends and the model stops
/// learning without any error. Warm-up is allowed: only the decay after the peak is judged.
/// </summary>
public sealed class LearningRateSchedule : ICheck
{
    /// <summary>The share of the run after which a schedule may anneal to zero (cosine and linear decays end there legitimately).</summary>
    public const double Horizon = 0.9;

    public static readonly Condition AliveUntilTheEnd = Condition.AtLeast("lowest LR after the peak, before 90% of the run, as a share of the peak", 0.01, format: "P0");
    /// <summary>
    /// A rate at or below 1% of the peak barely moves the weights. ImageNet's step schedule spends its last third at exactly 1%
    /// (two divisions by 10) and a cosine decay its last ~6%; a rate parked there for most of the run is a schedule bug,
    /// even when it never drops *below* 1% (which <see cref="AliveUntilTheEnd"/> alone would miss).
    /// </summary>
    public static readonly Condition MostlyUseful = Condition.AtMost("share of the run's steps at or below 1% of the peak LR", 0.5, format: "P0");
    public static readonly Condition AliveAtHalfway = Condition.AtLeast("lowest LR after the peak, before half of the run, as a share of the peak", 0.1, Verdict.Warn, "P0");

    public string Id => "lr-schedule";
    public int Stage => 2;
    public string Hypothesis => "The learning rate does not decay to ~0 before training ends (the schedule is planned in optimizer steps for this run's length).";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [AliveUntilTheEnd, MostlyUseful, AliveAtHalfway];

    public CheckOutcome Run(CheckContext context)
    {
        var plan = context.Pipeline.Plan;
        using var model = context.NewModel();
        using var setup = context.Pipeline.CreateOptimizer(model.parameters(), plan);
        var rates = new double[plan.TotalSteps];
        for (int step = 0; step < rates.Length; step++)
        {
            rates[step] = setup.LearningRate;
            setup.Schedule?.step();
        }
        var evidence = new Evidence().Number("planned_steps", plan.TotalSteps).Number("steps_per_epoch", plan.StepsPerEpoch);
        if (rates.Length == 0) return CheckOutcome.Skipped("the plan has no training steps");

        double peak = rates.Max();
        int peakStep = Array.FindIndex(rates, r => r >= 0.99 * peak);
        double Lowest(double share)
        {
            int end = Math.Max(peakStep + 1, (int)Math.Ceiling(share * rates.Length));
            return peak > 0 ? rates[peakStep..Math.Min(end, rates.Length)].Min() / peak : 0;
        }
        double untilEnd = Lowest(Horizon), untilHalf = Lowest(0.5);
        int collapse = Array.FindIndex(rates, peakStep, r => r < AliveUntilTheEnd.Threshold * peak);
        // A relative tolerance: 3e-4 × 0.1 × 0.1 is 1% of the peak up to round-off, and counts as parked there.
        double parked = peak > 0 ? rates.Count(r => r <= AliveUntilTheEnd.Threshold * peak * (1 + 1e-6)) / (double)rates.Length : 1;
        evidence.Number("initial_lr", rates[0]).Number("peak_lr", peak).Number("final_lr", rates[^1])
            .Number("lowest_share_before_90_percent", untilEnd).Number("lowest_share_before_half", untilHalf)
            .Number("step_lr_below_1_percent", collapse).Number("share_of_steps_at_or_below_1_percent", parked);
        evidence.Test(AliveUntilTheEnd, untilEnd);
        evidence.Test(MostlyUseful, parked);
        evidence.Test(AliveAtHalfway, untilHalf);
        var steps = Enumerable.Range(0, rates.Length).Select(i => (double)i).ToArray();
        evidence.Picture(Charts.Lines("learning rate at every step of the planned run", "optimizer step", "learning rate", [("learning rate", steps, rates)]),
            $"The schedule as the loop will step it (once per optimizer step) over the planned {plan.TotalSteps} steps ({plan.Epochs} epochs × {plan.StepsPerEpoch}).");
        string fell = collapse >= 0
            ? $"falls below 1% of its peak at step {collapse} of {plan.TotalSteps} ({Show.P((double)collapse / plan.TotalSteps)} of the run)"
            : "never falls below 1% of its peak";
        return CheckOutcome.FromConditions(evidence,
            $"learning rate starts at {Show.N(rates[0])}, peaks at {Show.N(peak)}, ends at {Show.N(rates[^1])}; it {fell}, " +
            $"and spends {Show.P(parked)} of the run at or below 1% of its peak",
            "The schedule kills the learning rate early. A schedule written in epochs (e.g. StepLR(step_size: 30) from ImageNet code) is being " +
            $"stepped once per optimizer step, or was planned for a longer run: convert epochs to steps ({plan.StepsPerEpoch} steps per epoch here), " +
            "plan against the real number of steps, or keep a constant learning rate (Adam 3e-4) until the basics work.");
    }
}
