namespace Recipe.Inspect;

/// <summary>
/// Outliers along one axis by a robust z-score, z = (x − median) / scale, computed within each group
/// (e.g. each class: a dark sandal is normal, a dark T-shirt may not be). The scale is 1.4826 · MAD (the
/// standard deviation for normal data, not pulled by the outliers themselves), but never below the
/// spread of the middle 90% ((q95 − q5) / 3.29, also σ for normal data) nor below the smallest
/// difference that matters for the quantity: when most values are equal (most images have a pixel at
/// 255), the MAD is 0 and every other value would look infinitely far.
/// </summary>
public static class RobustOutliers
{
    /// <summary>Robust z of each value within its group; NaN where the value is NaN or the group has no spread.</summary>
    /// <param name="groups">Group of each value (e.g. its class), or null for one group.</param>
    /// <param name="resolution">The smallest difference that matters (1 for whole pixels); 0 when any difference does.</param>
    public static double[] Scores(IReadOnlyList<float> values, long[]? groups, double resolution = 0)
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
            double spread = (sorted[(int)(0.95 * (sorted.Length - 1))] - sorted[(int)(0.05 * (sorted.Length - 1))]) / 3.29;
            double scale = Math.Max(Math.Max(1.4826 * Median(deviations), spread), resolution);
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
