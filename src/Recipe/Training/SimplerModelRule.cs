namespace Recipe.Training;

/// <summary>What <see cref="SimplerModelRule"/> decided, with the numbers it decided on (validation losses, per example).</summary>
/// <param name="KeepRicher">True when the richer model is better by more than the noise of the comparison.</param>
/// <param name="SimplerLoss">Mean validation loss of the simpler model.</param>
/// <param name="RicherLoss">Mean validation loss of the richer model.</param>
/// <param name="StandardError">Standard error of the mean per-example difference (richer − simpler): the comparison's noise.</param>
/// <param name="Examples">Validation examples compared.</param>
public sealed record SimplerModelDecision(bool KeepRicher, double SimplerLoss, double RicherLoss, double StandardError, int Examples)
{
    /// <summary>How much lower the richer model's loss is, in standard errors (negative when it is higher).</summary>
    /// <summary>Classification: examples each model got wrong (null when errors were not compared).</summary>
    public (int Simpler, int Richer)? Errors { get; init; }

    /// <summary>Classification: how many fewer mistakes the richer model makes, in standard errors of the paired 0/1 difference.</summary>
    public double? ErrorMargin { get; init; }

    public double Margin => StandardError > 0 ? (SimplerLoss - RicherLoss) / StandardError : SimplerLoss > RicherLoss ? double.PositiveInfinity : 0;
}

/// <summary>
/// Prefer the simpler model unless the richer one is better on validation by more than one standard error of the
/// paired, per-example loss difference (the "one-standard-error rule"). The threshold is measured on the split itself:
/// on 30 validation rows a gap of a few hundredths is noise and the simpler model, which has less to overfit, is kept;
/// on thousands of rows the same gap is real and the richer model wins. Pairing the examples removes the part of the
/// noise both models share (the hard examples are hard for both).
/// For classes, a lower loss alone can be calibration: the richer model must also misclassify fewer examples by more
/// than one standard error of the paired 0/1 difference (the same rule on what the task is scored by), or the two are
/// tied and the simpler model is kept.
/// </summary>
public static class SimplerModelRule
{
    /// <param name="wrong">Classification: which examples each model misclassified; null for a regression.</param>
    public static SimplerModelDecision Decide(IReadOnlyList<double> simpler, IReadOnlyList<double> richer, (bool[] Simpler, bool[] Richer)? wrong = null)
    {
        var onLoss = DecideOnLoss(simpler, richer);
        if (wrong is not { } w) return onLoss;
        var onErrors = DecideOnLoss(w.Simpler.Select(e => e ? 1.0 : 0).ToArray(), w.Richer.Select(e => e ? 1.0 : 0).ToArray());
        double errorMargin = onErrors.StandardError > 0 ? (onErrors.SimplerLoss - onErrors.RicherLoss) / onErrors.StandardError : 0;
        return onLoss with
        {
            KeepRicher = onLoss.KeepRicher && onErrors.KeepRicher,
            Errors = (w.Simpler.Count(e => e), w.Richer.Count(e => e)), ErrorMargin = errorMargin,
        };
    }

    static SimplerModelDecision DecideOnLoss(IReadOnlyList<double> simpler, IReadOnlyList<double> richer)
    {
        if (simpler.Count != richer.Count || simpler.Count == 0)
            throw new ArgumentException($"the two models must be scored on the same examples ({simpler.Count} vs {richer.Count})");
        int n = simpler.Count;
        double simplerMean = Finite(simpler).Average(), richerMean = Finite(richer).Average();
        var differences = Enumerable.Range(0, n).Select(i => Finite(richer[i]) - Finite(simpler[i])).ToArray();
        double meanDifference = differences.Average();
        double variance = n > 1 ? differences.Sum(d => (d - meanDifference) * (d - meanDifference)) / (n - 1) : 0;
        double standardError = Math.Sqrt(variance / n);
        bool keepRicher = -meanDifference > standardError;
        return new SimplerModelDecision(keepRicher, simplerMean, richerMean, standardError, n);
    }

    // a diverged model's NaN or infinite loss counts as a very large loss, never as a tie
    static double Finite(double loss) => double.IsFinite(loss) ? loss : 1e6;
    static IEnumerable<double> Finite(IEnumerable<double> losses) => losses.Select(Finite);
}
