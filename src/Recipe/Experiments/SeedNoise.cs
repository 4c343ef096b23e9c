namespace Recipe.Experiments;

/// <summary>
/// The seed-to-seed variation of a metric: the baseline trained with several seeds, everything else equal. An
/// experiment whose difference is within it is inconclusive. Measured in the same run, on the same data and budget.
/// </summary>
public sealed record SeedNoise(IReadOnlyList<long> Seeds, IReadOnlyList<double> Values)
{
    /// <summary>The sample standard deviation of the values (0 with a single seed: nothing measured, nothing excused).</summary>
    public double Sigma
    {
        get
        {
            var finite = Values.Where(double.IsFinite).ToList();
            if (finite.Count < 2) return 0;
            double mean = finite.Average();
            return Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Count - 1));
        }
    }

    public double Band => VerdictRule.NoiseBand(Sigma);
}
