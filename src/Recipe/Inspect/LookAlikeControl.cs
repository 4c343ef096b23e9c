namespace Recipe.Inspect;

/// <summary>
/// The near-duplicate threshold measured on the data itself. Distinct photographs of similar things (a dataset's
/// look-alikes) form a continuum of distances whose count grows as a power of the distance, N(d) = C·dᵐ (pairs of points
/// on a low-dimensional manifold); copies are an excess near 0 that this continuum does not explain. The continuum is
/// fitted on the upper half of the candidate range, where look-alikes dominate (a histogram's log counts against log
/// distance), and extrapolated down to the distance at which it expects a single pair: below that, a pair is more likely
/// a copy than a look-alike. A dataset with too few pairs in the fitted range has no continuum to model, and keeps the
/// ceiling (<see cref="NearDuplicateOptions.Threshold"/>): nothing there crowds its copies.
/// </summary>
public static class LookAlikeControl
{
    /// <summary>Bins of the fitted range (its upper half).</summary>
    const int Bins = 10;

    /// <summary>Fewer pairs than this in the fitted range are no continuum (a sparse or small dataset).</summary>
    public const int MinimumPairs = 40;

    /// <summary>The distance below which the look-alike continuum expects fewer than one pair, at most <paramref name="ceiling"/>.</summary>
    /// <param name="distances">Verified distances of the pairs that passed every other test, up to the ceiling.</param>
    public static LookAlikeFit Measure(IReadOnlyList<double> distances, double ceiling)
    {
        double low = ceiling / 2, width = (ceiling - low) / Bins;
        var counts = new int[Bins];
        foreach (var d in distances)
            if (d > low && d <= ceiling) counts[Math.Min(Bins - 1, (int)((d - low) / width))]++;
        int inRange = counts.Sum();
        if (inRange < MinimumPairs) return new LookAlikeFit(ceiling, inRange, null);

        // log(count in bin) = log(C·m·width) + (m − 1)·log(bin centre), least squares over the bins that hold pairs
        var points = Enumerable.Range(0, Bins).Where(b => counts[b] > 0)
            .Select(b => (X: Math.Log(low + (b + 0.5) * width), Y: Math.Log(counts[b]))).ToArray();
        double meanX = points.Average(p => p.X), meanY = points.Average(p => p.Y);
        double sxx = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        if (points.Length < 3 || sxx <= 0) return new LookAlikeFit(ceiling, inRange, null);
        double slope = points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / sxx;
        double exponent = slope + 1;
        if (exponent <= 0) return new LookAlikeFit(ceiling, inRange, exponent); // counts fall with distance: no continuum to extrapolate
        double logScale = meanY - slope * meanX - Math.Log(exponent * width);    // log C
        double threshold = Math.Exp(-logScale / exponent);                       // C·dᵐ = 1
        return new LookAlikeFit(Math.Min(ceiling, threshold), inRange, exponent);
    }
}

/// <summary>What <see cref="LookAlikeControl"/> measured.</summary>
/// <param name="Threshold">The near-duplicate threshold for this dataset.</param>
/// <param name="PairsFitted">Pairs in the fitted range (the upper half of the ceiling).</param>
/// <param name="Exponent">m of N(d) = C·dᵐ, or null when there were too few pairs to fit (the ceiling is kept).</param>
public sealed record LookAlikeFit(double Threshold, int PairsFitted, double? Exponent);
