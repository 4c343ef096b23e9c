namespace Recipe.Bench;

/// <summary>
/// Repeated measurements of one quantity. Reported as the median with min and max: on a shared,
/// noisy machine a mean is dragged by one bad repeat, the median is not.
/// </summary>
public sealed record Sample(string Unit, IReadOnlyList<double> Values)
{
    public double Median
    {
        get
        {
            var sorted = Values.Order().ToArray();
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    /// <summary>
    /// A distribution-free 95 % confidence interval for the median: the order statistics of ranks
    /// ⌊(n − 1.96√n)/2⌋ and ⌈1 + (n + 1.96√n)/2⌉ (1-based; the normal approximation to the binomial
    /// count of values below the true median; for n = 21, the 6th and 16th). It assumes nothing about
    /// the shape of the noise, only that repeats are independent. Small samples get the whole range.
    /// </summary>
    public (double Low, double High) MedianInterval95()
    {
        var sorted = Values.Order().ToArray();
        int n = sorted.Length;
        double half = 1.96 * Math.Sqrt(n) / 2;
        int low = Math.Max((int)Math.Floor(n / 2.0 - half) - 1, 0); // 0-based ranks
        int high = Math.Min((int)Math.Ceiling(n / 2.0 + half), n - 1);
        return (sorted[low], sorted[high]);
    }

    public double Min => Values.Min();
    public double Max => Values.Max();

    /// <summary>
    /// Ratio repeat by repeat (this[i] / other[i]). The variants ran interleaved, so each pair saw
    /// nearly the same machine load; pairing cancels most of the noise that other engineers add.
    /// </summary>
    public Sample Over(Sample other)
    {
        if (other.Values.Count != Values.Count)
            throw new ArgumentException($"cannot pair {Values.Count} repeats with {other.Values.Count}");
        return new Sample("ratio", Values.Zip(other.Values, (a, b) => a / b).ToArray());
    }
}
