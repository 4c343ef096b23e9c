namespace Recipe.Experiments;

/// <summary>
/// Whether an experimenting stage (3 or 4) can afford to start. Nothing can be judged before the stage has trained its
/// baseline and repeated it with the noise seeds, so those trials are the stage's entry price: when they alone are
/// predicted to take more than <see cref="Share"/> of the stage's time, the stage does not start (it could judge
/// nothing, and would eat the time the final training was promised). The prediction is the pipeline's measured seconds
/// per step times the trials' steps; trial lengths are never shortened to fit, so a seed still fixes what a stage that
/// runs measures.
/// </summary>
public static class BaselineAdmission
{
    /// <summary>At most this share of a stage's time may go to its baseline and noise seeds: the rest is for experiments.</summary>
    public const double Share = 0.5;

    /// <summary>Null when the stage may start; otherwise the reason it may not, in words for the report.</summary>
    public static string? Refusal(int trials, int stepsPerTrial, double secondsPerStep, TimeSpan allowed, string stage)
    {
        double predicted = trials * (double)stepsPerTrial * secondsPerStep;
        double affordable = Share * Math.Max(0, allowed.TotalSeconds);
        return predicted <= affordable ? null
            : $"{stage} was skipped for time: its baseline and noise seeds ({trials} trials of {stepsPerTrial} steps at {secondsPerStep * 1000:F1} ms a step, " +
              $"measured) are predicted to take {predicted:F0} s, more than {Share:P0} of the {allowed.TotalSeconds:F0} s it was allowed; " +
              "it could judge nothing in what would be left, and the final training keeps the time";
    }
}
