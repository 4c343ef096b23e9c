namespace Recipe.Diagnostics;

/// <summary>error(n) = Scale · n^(−Exponent): how validation error falls with the number of training examples.</summary>
public sealed record PowerLaw(double Scale, double Exponent)
{
    public double At(double n) => Scale * Math.Pow(n, -Exponent);

    /// <summary>
    /// Least squares on log error against log n (a straight line in log–log axes, which is what a power law is).
    /// Points with an error of 0 or less carry no log and are left out; null when fewer than two distinct sizes remain.
    /// </summary>
    public static PowerLaw? Fit(IReadOnlyList<(double Size, double Error)> points)
    {
        var usable = points.Where(p => p.Size > 0 && p.Error > 0 && double.IsFinite(p.Error)).ToArray();
        if (usable.Select(p => p.Size).Distinct().Count() < 2) return null;
        var x = usable.Select(p => Math.Log(p.Size)).ToArray();
        var y = usable.Select(p => Math.Log(p.Error)).ToArray();
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = x.Sum(a => (a - mx) * (a - mx));
        double slope = sxy / sxx;
        return new PowerLaw(Math.Exp(my - slope * mx), -slope);
    }
}

/// <summary>A power-law fit with its uncertainty: the fit on all points and the spread of fits on bootstrap resamples.</summary>
/// <param name="Bootstrap">One fit per bootstrap resample; the report draws the 10th–90th percentile band from them.</param>
public sealed record PowerLawEstimate(PowerLaw Fit, IReadOnlyList<PowerLaw> Bootstrap)
{
    /// <summary>The <paramref name="quantile"/> (0..1) of the bootstrap fits' error at <paramref name="n"/>.</summary>
    public double ErrorQuantile(double n, double quantile) => Quantile(Bootstrap.Select(f => f.At(n)), quantile);

    public double ExponentQuantile(double quantile) => Quantile(Bootstrap.Select(f => f.Exponent), quantile);

    /// <summary>
    /// Resamples the measured points with replacement (<paramref name="resamples"/> times, seeded) and refits: the
    /// spread covers both seed-to-seed noise (when several seeds were measured per size) and the choice of points.
    /// Null when the points do not support a fit.
    /// </summary>
    public static PowerLawEstimate? Of(IReadOnlyList<(double Size, double Error)> points, int resamples = 400, long seed = 0)
    {
        if (PowerLaw.Fit(points) is not { } fit) return null;
        var random = new Random(unchecked((int)seed + 17));
        var fits = new List<PowerLaw>();
        for (int r = 0; r < resamples; r++)
        {
            var sample = Enumerable.Range(0, points.Count).Select(_ => points[random.Next(points.Count)]).ToArray();
            if (PowerLaw.Fit(sample) is { } resampled) fits.Add(resampled);
        }
        return new PowerLawEstimate(fit, fits.Count > 0 ? fits : [fit]);
    }

    static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position), high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
