namespace Recipe.Experiments;

/// <summary>
/// The noise of a difference between two fixed models measured on the same examples: the standard error of the mean
/// per-example difference, sd(a − b) / √n. It answers "would another sample of validation examples reverse this?" — the
/// question when both models are already trained and one of them is kept — where seed-to-seed noise answers "would
/// another seed reverse this?", the question about pipelines. Pairing cancels what the examples share (an example both
/// find hard), so a gain spread over many examples stands out, and one carried by a handful does not.
/// </summary>
public static class PairedNoise
{
    /// <summary>σ of mean(a) − mean(b) over examples paired by index; 0 for identical lists.</summary>
    public static double Sigma(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired lists differ in length ({a.Count} and {b.Count})", nameof(b));
        int n = a.Count;
        if (n < 2) throw new ArgumentException("a paired difference needs at least two examples", nameof(a));
        double mean = 0;
        for (int i = 0; i < n; i++) mean += a[i] - b[i];
        mean /= n;
        double squares = 0;
        for (int i = 0; i < n; i++) { double d = a[i] - b[i] - mean; squares += d * d; }
        return Math.Sqrt(squares / (n - 1) / n);
    }
}
