using Recipe.Experiments;

namespace Recipe.Tests.Experiments;

public class VerdictRuleTests
{
    static readonly Prediction LowerBy01 = new(Metrics.TrainLoss, Direction.Lower, 0.1);

    [Theory]
    [InlineData(1.0, 0.5, 0.01, ExperimentVerdict.Confirmed)]     // fell by 0.5: beyond noise and the smallest change
    [InlineData(1.0, 1.5, 0.01, ExperimentVerdict.Refuted)]       // rose beyond the noise
    [InlineData(1.0, 0.95, 0.01, ExperimentVerdict.Refuted)]      // fell beyond the noise (0.02) but by less than the 0.1 that counts
    [InlineData(1.0, 0.5, 0.3, ExperimentVerdict.Inconclusive)]   // fell by 0.5, but seeds alone move it ±0.6
    [InlineData(1.0, 1.0, 0.0, ExperimentVerdict.Inconclusive)]   // no difference at all
    [InlineData(1.0, double.NaN, 0.01, ExperimentVerdict.Refuted)] // a diverged trial
    public void Given_a_baseline_a_candidate_and_the_seed_noise_When_judged_Then_the_verdict_follows_the_prediction_and_the_noise_band(
        double baseline, double candidate, double sigma, ExperimentVerdict expected)
    {
        Assert.Equal(expected, VerdictRule.Judge(LowerBy01, baseline, candidate, sigma));
    }

    [Fact]
    public void Given_a_prediction_of_a_higher_metric_When_it_rose_Then_it_is_confirmed_and_when_it_fell_refuted()
    {
        var higher = new Prediction(Metrics.ValidationAccuracy, Direction.Higher, 0.01);
        Assert.Equal(ExperimentVerdict.Confirmed, VerdictRule.Judge(higher, 0.80, 0.85, 0.005));
        Assert.Equal(ExperimentVerdict.Refuted, VerdictRule.Judge(higher, 0.80, 0.75, 0.005));
    }

    [Fact]
    public void Given_three_seeds_When_the_noise_is_measured_Then_sigma_is_their_sample_standard_deviation()
    {
        var noise = new SeedNoise([0, 1, 2], [1.0, 2.0, 3.0]);
        Assert.Equal(1.0, noise.Sigma, 12);
        Assert.Equal(VerdictRule.NoiseSigmas, noise.Band, 12);
        Assert.Equal(0, new SeedNoise([0], [1.0]).Sigma);
    }
}
