namespace Recipe.Experiments;

/// <summary>
/// How fast a trial's batch-loss curve was still falling when the trial ended. A larger model often starts slower and
/// catches up later: at equal short trials it can look worse while its curve is still dropping faster than the best's.
/// </summary>
public static class CurveTrend
{
    /// <summary>
    /// The fall of the mean batch loss from the curve's third quarter to its last (positive while still falling; 0 for a
    /// curve too short to have quarters). Means over a quarter each, so single noisy batches do not decide it.
    /// </summary>
    public static double EndDrop(IReadOnlyList<double> curve)
    {
        var (third, last) = EndQuarters(curve);
        return third.Length == 0 ? 0 : third.Average() - last.Average();
    }

    /// <summary>The curve's third and last quarters (both empty for a curve too short to have quarters).</summary>
    public static (double[] Third, double[] Last) EndQuarters(IReadOnlyList<double> curve)
    {
        int quarter = curve.Count / 4;
        return ([.. curve.Skip(curve.Count - 2 * quarter).Take(quarter)], [.. curve.Skip(curve.Count - quarter)]);
    }

    /// <summary>
    /// Whether <paramref name="candidate"/>, behind or level with <paramref name="best"/> after the same steps, was still
    /// falling faster beyond the seed-to-seed noise of that fall, by enough that as many steps again could close the gap
    /// at that rate (linear: optimistic, which suits a test that only decides whether to look longer).
    /// </summary>
    public static bool StillCatchingUp(TrialMeasurement best, TrialMeasurement candidate, SeedNoise endDropNoise)
    {
        double faster = EndDrop(candidate.Curve) - EndDrop(best.Curve);
        if (!(faster > endDropNoise.Band)) return false;
        double gap = candidate.TrainLoss - best.TrainLoss;
        // a trial has four quarters: another trial as long falls about 4 × the last quarter's extra drop further
        return 4 * faster > gap;
    }
}
