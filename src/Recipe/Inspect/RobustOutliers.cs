namespace Recipe.Inspect;

/// <summary>
/// Outliers along one axis by a robust z-score, z = (x − median) / (1.4826 · MAD), computed within each
/// group (e.g. each class: a dark sandal is normal, a dark T-shirt may not be). The median and MAD are
/// not pulled by the outliers themselves, unlike the mean and standard deviation.
/// </summary>
public static class RobustOutliers
{
    /// <summary>Robust z of each value within its group; NaN where the value is NaN or the group has no spread.</summary>
    /// <param name="groups">Group of each value (e.g. its class), or null for one group.</param>
    public static double[] Scores(IReadOnlyList<float> values, long[]? groups)
    {
        var z = new double[values.Count];
        Array.Fill(z, double.NaN);
        var byGroup = Enumerable.Range(0, values.Count).Where(i => float.IsFinite(values[i])).GroupBy(i => groups?[i] ?? 0);
        foreach (var group in byGroup)
        {
            var members = group.ToArray();
            var sorted = members.Select(i => (double)values[i]).Order().ToArray();
            double median = Median(sorted);
            var deviations = sorted.Select(v => Math.Abs(v - median)).Order().ToArray();
            double scale = 1.4826 * Median(deviations);
            if (scale <= 0) scale = 1.2533 * deviations.Average();   // more than half the values equal: mean absolute deviation
            if (scale <= 0) continue;
            foreach (var i in members) z[i] = (values[i] - median) / scale;
        }
        return z;
    }

    public static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? double.NaN
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
        : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
