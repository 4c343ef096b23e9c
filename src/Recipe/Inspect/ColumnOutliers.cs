namespace Recipe.Inspect;

/// <summary>Robust z of each row of a numeric column (NaN where not judged) and the scale it was judged on, in words.</summary>
public sealed record ColumnScores(double[] Z, string Scale);

/// <summary>
/// Outliers of one numeric table column, judged under the column's own distribution so that sparse, discrete
/// and skewed columns do not produce outliers by the dozen:
/// <list type="bullet">
/// <item>When one value holds most rows (a pixel that is nearly always 0, a 0/1 flag), its MAD is 0 and any other
/// value would look infinitely far. Being the common value is never surprising; the other values are judged among
/// themselves, and only when there are enough of them to have a distribution.</item>
/// <item>A positive column that is more symmetric on a log scale (areas, counts, prices) is judged on that scale: its
/// long right tail is its shape, not a list of errors.</item>
/// <item>Discrete values are never closer than their spacing: the scale is at least the smallest gap between values.</item>
/// </list>
/// </summary>
public static class ColumnOutliers
{
    /// <summary>A value holding at least this share of the rows is the column's common value (its MAD is 0).</summary>
    public const double CommonValueShare = 0.5;

    /// <summary>Fewest values that make a distribution to judge against (fewer: nothing is called an outlier).</summary>
    public const int MinimumSupport = 20;

    public static ColumnScores Scores(IReadOnlyList<double> column)
    {
        var z = new double[column.Count];
        Array.Fill(z, double.NaN);
        var finite = Enumerable.Range(0, column.Count).Where(r => double.IsFinite(column[r])).ToArray();
        if (finite.Length < MinimumSupport) return new ColumnScores(z, $"not judged: {finite.Length} values");

        var common = finite.GroupBy(r => column[r]).MaxBy(g => g.Count())!;
        var judged = finite;
        string scale = "";
        if (common.Count() >= CommonValueShare * finite.Length)
        {
            foreach (var r in common) z[r] = 0;
            judged = finite.Where(r => column[r] != common.Key).ToArray();
            scale = $"{common.Count() / (double)finite.Length:P0} of the values are {common.Key:G6}; the other {judged.Length} judged among themselves";
            if (judged.Length < MinimumSupport) return new ColumnScores(z, scale + ": too few");
        }

        var values = judged.Select(r => column[r]).ToArray();
        bool logScale = values.All(v => v > 0) && Math.Abs(Bowley(values.Select(v => Math.Log(v)).ToArray())) < Math.Abs(Bowley(values));
        if (logScale)
        {
            values = values.Select(v => Math.Log(v)).ToArray();
            scale = scale.Length == 0 ? "log scale" : scale + ", on a log scale";
        }
        var distinct = values.Distinct().Order().ToArray();
        double spacing = distinct.Length < 2 ? 0 : distinct.Zip(distinct.Skip(1), (a, b) => b - a).Min();
        var scores = RobustOutliers.Scores(values.Select(v => (float)v).ToArray(), null, spacing);
        for (int i = 0; i < judged.Length; i++) z[judged[i]] = scores[i];
        return new ColumnScores(z, scale.Length == 0 ? "linear scale" : scale);
    }

    /// <summary>Bowley's quartile skewness, (q3 + q1 − 2·median) / (q3 − q1): 0 for a symmetric bulk, robust to the tails it is asked about.</summary>
    static double Bowley(double[] values)
    {
        var sorted = values.Order().ToArray();
        double Q(double p) => sorted[(int)Math.Round(p * (sorted.Length - 1))];
        double q1 = Q(0.25), q2 = Q(0.5), q3 = Q(0.75);
        return q3 - q1 <= 0 ? 0 : (q3 + q1 - 2 * q2) / (q3 - q1);
    }
}
