namespace Recipe.Training;

/// <summary>
/// The recipe's default training length in one place: train until validation stops improving (<see cref="EarlyStopping"/>,
/// best weights put back), within a step budget that is extended (doubled, up to the config's MaxSteps as a hard cap) only
/// while validation keeps improving by more than its own noise (<see cref="ValidationGain"/>), and within the wall-clock
/// time left (`--budget`). With time given, the clock is the hard cap instead of MaxSteps: a run still improving beyond its
/// noise goes on until its time is used (on words a 20-minute run ended at its step cap with validation still falling by
/// 28× its noise), while a plateau still ends it. Without time, MaxSteps bounds the run, so a seed fixes where it stops.
/// The story it returns says why training stopped.
/// </summary>
public static class TrainUntilPlateau
{
    /// <param name="context">The model, data and config to train; <see cref="TrainingConfig.MaxSteps"/> is the hard cap.</param>
    /// <param name="budgetSteps">The step budget before any extension.</param>
    /// <param name="timeLeft">What is left of the wall-clock budget, with its name for the stop reason (e.g. "--budget 5m").</param>
    /// <param name="hooks">Other hooks to run first (progress, learning-rate schedule).</param>
    public static TrainingStory Fit(TrainingContext context, int budgetSteps, (TimeSpan Left, string Name)? timeLeft, params IEnumerable<ITrainingHook> hooks) =>
        Fit(context, budgetSteps, timeLeft, 0, hooks);

    /// <param name="learningRateDrops">How many times a validation plateau lowers the learning rate (<see cref="LearningRateDrops"/>) before one ends the run.</param>
    public static TrainingStory Fit(TrainingContext context, int budgetSteps, (TimeSpan Left, string Name)? timeLeft, int learningRateDrops, IEnumerable<ITrainingHook> hooks)
    {
        using var earlyStopping = new EarlyStopping();
        var drops = learningRateDrops > 0 ? new LearningRateDrops(earlyStopping, learningRateDrops) : null;
        var gain = new ValidationGain();
        if (timeLeft is not null) context = WithoutStepCap(context);
        int ceiling = timeLeft is null ? context.Config.MaxSteps ?? budgetSteps : int.MaxValue;
        var trained = context;
        // with time left, a budget whose last stretch gained no more than validation's noise is a plateau like early
        // stopping's: the rate is lowered (from the best weights) and the budget extended, until no drop is left (on words a
        // 20-minute run stopped at lr 0.011 with a gain of 0.0105 against a noise of 0.011 and 4 minutes unused)
        bool Extend(int windowStart)
        {
            if (!earlyStopping.StillImproving) return false;
            if (gain.BeyondNoise(windowStart)) return true;
            if (timeLeft is null || drops is null) return false;
            // early stopping's plateau may have lowered the rate at this very point: the lower rate gets the budget, not a second drop
            bool droppedHere = drops.Dropped.Count > 0 && drops.Dropped[^1].Step == gain.LatestStep;
            return droppedHere || drops.TryDrop(trained, gain.LatestStep);
        }
        var stepBudget = new StepBudget(budgetSteps, ceiling, Extend, gain.Describe);
        var wallClock = WallClock(timeLeft);
        // gain and early stopping see each validation point before the budget asks them about it
        List<ITrainingHook> all = [.. hooks, gain, drops is null ? earlyStopping : drops, stepBudget];
        if (wallClock is not null) all.Add(wallClock);
        // late in a long run early stopping's patience outlasts the clock: a curve within its jitter at the last fifth gets its drop there
        if (timeLeft is { } time && drops is not null) all.Add(new FinalStretchDrop(drops, gain, time.Left));
        var result = new Trainer(all).Fit(context);
        return new TrainingStory(result, budgetSteps, stepBudget, earlyStopping, wallClock) { LearningRateDrops = drops };
    }

    /// <summary>
    /// The loop with neither a step limit nor an epoch limit: with --budget the wall clock, the step budget's extensions
    /// (granted only while validation gains beyond its noise) and early stopping decide the length.
    /// </summary>
    static TrainingContext WithoutStepCap(TrainingContext context) =>
        context with { Config = context.Config with { MaxSteps = null, Epochs = int.MaxValue } };

    /// <summary>The wall-clock hook for what is left of `--budget`, or none without one.</summary>
    public static WallClockBudget? WallClock((TimeSpan Left, string Name)? timeLeft) =>
        timeLeft is { } left ? new WallClockBudget(left.Left, left.Name) : null;
}
