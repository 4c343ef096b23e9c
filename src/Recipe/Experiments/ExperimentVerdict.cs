namespace Recipe.Experiments;

/// <summary>How an experiment's outcome compares with its prediction.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(SnakeCaseEnum<ExperimentVerdict>))]
public enum ExperimentVerdict
{
    /// <summary>The metric moved the predicted way by at least the smallest change that counts, and by more than the noise.</summary>
    Confirmed,
    /// <summary>The metric moved the other way, or the predicted way but by less than the smallest change that counts, beyond the noise.</summary>
    Refuted,
    /// <summary>The difference is within the seed-to-seed noise: a different seed could have given either answer.</summary>
    Inconclusive,
}

/// <summary>Judges an outcome against its prediction and the noise measured in the same run.</summary>
public static class VerdictRule
{
    /// <summary>
    /// A difference counts only beyond this many seed-to-seed standard deviations of the baseline: the candidate and the
    /// baseline are each one noisy draw, so their difference varies by about √2 σ; 2 σ puts a pure-noise difference
    /// inside the band about 84 % of the time.
    /// </summary>
    public const double NoiseSigmas = 2.0;

    /// <summary>The band a difference must leave to count: <see cref="NoiseSigmas"/> × σ.</summary>
    public static double NoiseBand(double seedSigma) => NoiseSigmas * seedSigma;

    public static ExperimentVerdict Judge(Prediction prediction, double baseline, double candidate, double seedSigma)
    {
        double gain = prediction.Gain(baseline, candidate);
        double band = NoiseBand(seedSigma);
        if (double.IsNaN(gain)) return ExperimentVerdict.Refuted; // a diverged run (NaN loss) moved nothing the right way
        if (Math.Abs(gain) <= band) return ExperimentVerdict.Inconclusive;
        return gain >= prediction.SmallestChange ? ExperimentVerdict.Confirmed : ExperimentVerdict.Refuted;
    }

    /// <summary>One sentence saying why, for the log.</summary>
    /// <param name="noiseName">What σ measures, as the sentence names it.</param>
    public static string Explain(ExperimentVerdict verdict, Prediction prediction, double baseline, double candidate, double seedSigma, string noiseName = "seed-to-seed σ")
    {
        double gain = prediction.Gain(baseline, candidate);
        string moved = $"{prediction.Metric} {baseline:G4} → {candidate:G4}";
        string band = $"noise band ±{NoiseBand(seedSigma):G3} ({NoiseSigmas} × {noiseName} {seedSigma:G3})";
        return verdict switch
        {
            ExperimentVerdict.Confirmed => $"{moved}: moved as predicted by {gain:G3}, beyond the {band} and the smallest change that counts ({prediction.SmallestChange:G3}).",
            ExperimentVerdict.Inconclusive => $"{moved}: a change of {Math.Abs(gain):G3} is within the {band}.",
            _ when gain > 0 => $"{moved}: moved as predicted by {gain:G3}, beyond the {band}, but less than the smallest change that counts ({prediction.SmallestChange:G3}).",
            _ => $"{moved}: moved the other way ({-gain:G3}), beyond the {band}.",
        };
    }
}
