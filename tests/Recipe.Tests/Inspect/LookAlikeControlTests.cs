using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

public class LookAlikeControlTests
{
    /// <summary>Look-alike distances whose count grows as d⁵ up to the ceiling (inverse-CDF sampling), as on full Fashion-MNIST.</summary>
    static List<double> Continuum(int pairs, double ceiling, int seed) =>
        [.. Enumerable.Range(0, pairs).Select(_ => ceiling * Math.Pow(new Random(seed++).NextDouble(), 1 / 5.0))];

    [Fact]
    public void Given_a_continuum_of_look_alikes_with_planted_copies_When_measured_Then_the_copies_are_below_the_threshold_and_the_look_alikes_above()
    {
        // Given: 2,000 look-alike pairs up to 0.11, and 30 copies at distance 0.005–0.02 (noise, shifts)
        var lookAlikes = Continuum(2_000, 0.11, seed: 1);
        var copies = Enumerable.Range(0, 30).Select(i => 0.005 + i * 0.0005).ToList();

        // When
        var fit = LookAlikeControl.Measure([.. lookAlikes, .. copies], ceiling: 0.11);

        // Then: the exponent is recovered, every copy is within the threshold, and about one look-alike is (the extrapolation's promise)
        Assert.NotNull(fit.Exponent);
        Assert.InRange(fit.Exponent!.Value, 4, 6);
        Assert.All(copies, d => Assert.True(d <= fit.Threshold, $"copy at {d} above threshold {fit.Threshold}"));
        Assert.InRange(lookAlikes.Count(d => d <= fit.Threshold), 0, 5);
    }

    [Fact]
    public void Given_a_clean_twin_without_copies_When_measured_Then_the_threshold_reports_almost_nothing_while_the_ceiling_reports_everything()
    {
        var lookAlikes = Continuum(2_000, 0.11, seed: 2);

        var fit = LookAlikeControl.Measure(lookAlikes, ceiling: 0.11);

        Assert.InRange(lookAlikes.Count(d => d <= fit.Threshold), 0, 5);
        Assert.Equal(2_000, lookAlikes.Count(d => d <= 0.11)); // the broken case: a fixed ceiling reports every look-alike
    }

    [Fact]
    public void Given_too_few_pairs_to_model_a_continuum_When_measured_Then_the_ceiling_is_kept()
    {
        var fit = LookAlikeControl.Measure([0.01, 0.07, 0.08, 0.09, 0.1], ceiling: 0.11);

        Assert.Null(fit.Exponent);
        Assert.Equal(0.11, fit.Threshold);
    }
}
