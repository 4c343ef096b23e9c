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
