namespace Recipe.Experiments;

/// <summary>
/// A trial's step limit when the user gave --budget: the share of the stage's time one of its planned trials may take,
/// at the pipeline's measured seconds per step. Equal short trials favour a small, fast learner (a larger model is
/// judged before it has had the steps to show its capacity), so a stage that was given time spends it on longer trials
/// rather than leaving it unused. Never below the length the stage would use without a budget, never above
/// <see cref="Training.TrainingLength.MaxSteps"/>.
/// </summary>
public static class TimedTrialLength
{
    public static int Steps(TimeSpan allowed, double secondsPerStep, int floor, int plannedTrials)
    {
        double affordable = Math.Max(0, allowed.TotalSeconds) / Math.Max(1, plannedTrials) / Math.Max(secondsPerStep, 1e-9);
        return (int)Math.Max(floor, Math.Min(affordable, Training.TrainingLength.MaxSteps));
    }
}
