using Recipe.Experiments;

namespace Recipe.Tests.Experiments;

public class PairedNoiseTests
{
    static readonly double[] Baseline = Enumerable.Range(0, 400).Select(i => 0.2 + 0.3 * Math.Sin(i * 0.7) * Math.Sin(i * 0.7)).ToArray();

    [Fact]
    public void Given_a_gain_spread_over_every_example_When_judged_Then_it_stands_far_beyond_its_noise()
    {
        // Given a second model 0.01 better on every example, give or take 0.005
        var better = Baseline.Select((l, i) => l - 0.01 + 0.005 * Math.Cos(i)).ToArray();

        double sigma = PairedNoise.Sigma(Baseline, better);

        double gain = Baseline.Average() - better.Average();
        Assert.True(gain > VerdictRule.NoiseBand(sigma) * 5, $"gain {gain}, σ {sigma}");
    }

    [Fact]
    public void Given_the_same_mean_gain_carried_by_one_example_When_judged_Then_it_is_within_the_noise()
    {
        // Given the same total gain (400 × 0.01) on a single example and nothing elsewhere: a lucky example, not a better model
        var lucky = (double[])Baseline.Clone();
        lucky[17] -= 4.0;

        double sigma = PairedNoise.Sigma(Baseline, lucky);

        double gain = Baseline.Average() - lucky.Average();
        Assert.Equal(0.01, gain, 9);
        Assert.True(gain <= VerdictRule.NoiseBand(sigma), $"gain {gain}, σ {sigma}");
        Assert.Equal(ExperimentVerdict.Inconclusive, VerdictRule.Judge(Prediction.LowerBy(Metrics.ValidationLoss, 0.01, Baseline.Average()), Baseline.Average(), lucky.Average(), sigma));
    }

    [Fact]
    public void Given_two_identical_models_When_judged_Then_there_is_no_noise_and_no_gain()
    {
        Assert.Equal(0, PairedNoise.Sigma(Baseline, (double[])Baseline.Clone()));
        Assert.Throws<ArgumentException>(() => PairedNoise.Sigma(Baseline, Baseline.Take(10).ToArray()));
    }
}
