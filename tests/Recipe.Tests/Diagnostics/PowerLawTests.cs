using Recipe.Diagnostics;

namespace Recipe.Tests.Diagnostics;

public class PowerLawTests
{
    /// <summary>error = 3 · n^-0.4 at the learning curve's sizes, two "seeds" each, with ±5 % multiplicative noise.</summary>
    static List<(double Size, double Error)> NoisyPoints(double scale, double exponent, int seed = 1)
    {
        var random = new Random(seed);
        return (from size in new[] { 100.0, 250, 500, 1000 }
                from _ in Enumerable.Range(0, 2)
                select (size, scale * Math.Pow(size, -exponent) * (1 + 0.1 * (random.NextDouble() - 0.5)))).ToList();
    }

    [Fact]
    public void Given_exact_power_law_points_When_fitted_Then_scale_and_exponent_are_recovered()
    {
        var points = new[] { 100.0, 250, 500, 1000 }.Select(n => (n, 3 * Math.Pow(n, -0.4))).ToList();

        var fit = PowerLaw.Fit(points)!;

        Assert.Equal(0.4, fit.Exponent, 6);
        Assert.Equal(3, fit.Scale, 6);
    }

    [Fact]
    public void Given_noisy_points_from_a_known_law_When_estimated_Then_the_exponent_is_close_and_the_band_at_twice_the_data_holds_the_truth()
    {
        var estimate = PowerLawEstimate.Of(NoisyPoints(3, 0.4))!;

        Assert.InRange(estimate.Fit.Exponent, 0.35, 0.45);
        double truth = 3 * Math.Pow(2000, -0.4);
        Assert.InRange(truth, estimate.ErrorQuantile(2000, 0.1) * 0.98, estimate.ErrorQuantile(2000, 0.9) * 1.02);
        Assert.True(estimate.ExponentQuantile(0.1) < estimate.ExponentQuantile(0.9));
    }

    [Fact]
    public void Given_a_flat_curve_When_estimated_Then_the_exponent_is_near_zero_so_more_data_buys_nothing()
    {
        var estimate = PowerLawEstimate.Of(NoisyPoints(0.1, 0.0))!;

        Assert.InRange(estimate.Fit.Exponent, -0.05, 0.05);
        Assert.InRange(estimate.Fit.At(2000) / estimate.Fit.At(1000), 0.95, 1.05);
    }

    [Fact]
    public void Given_a_single_size_or_zero_errors_When_fitted_Then_there_is_no_fit()
    {
        Assert.Null(PowerLaw.Fit([(100, 0.2), (100, 0.3)]));
        Assert.Null(PowerLaw.Fit([(100, 0.0), (200, 0.0)]));
    }
}
