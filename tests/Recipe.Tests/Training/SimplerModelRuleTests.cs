using Recipe.Training;

namespace Recipe.Tests.Training;

public class SimplerModelRuleTests
{
    [Fact]
    public void Given_a_richer_model_better_on_every_example_by_a_steady_gap_When_decided_Then_the_richer_model_is_kept()
    {
        // Given: 200 examples, the richer model's loss lower by 0.05 on each, give or take 0.01
        var random = new Random(1);
        var simpler = Enumerable.Range(0, 200).Select(_ => 0.3 + random.NextDouble() * 0.2).ToArray();
        var richer = simpler.Select(l => l - 0.05 + (random.NextDouble() - 0.5) * 0.02).ToArray();

        // When
        var decision = SimplerModelRule.Decide(simpler, richer);

        // Then
        Assert.True(decision.KeepRicher, $"margin {decision.Margin:F1} standard errors");
        Assert.True(decision.Margin > 10);
    }

    [Fact]
    public void Given_the_same_mean_gap_on_a_few_noisy_examples_When_decided_Then_the_simpler_model_is_kept()
    {
        // Given: the same 0.05 mean advantage, but on 15 examples where the two models disagree by ±0.5 (a tiny validation split)
        var random = new Random(2);
        var simpler = Enumerable.Range(0, 15).Select(_ => 0.3 + random.NextDouble() * 0.2).ToArray();
        var swings = Enumerable.Range(0, 15).Select(i => i % 2 == 0 ? 0.5 : -0.5).ToArray();
        double centre = swings.Average();
        var richer = simpler.Select((l, i) => l - 0.05 + swings[i] - centre).ToArray();

        // When
        var decision = SimplerModelRule.Decide(simpler, richer);

        // Then: the gap is within one standard error of the paired difference
        Assert.Equal(0.05, decision.SimplerLoss - decision.RicherLoss, 6);
        Assert.False(decision.KeepRicher, $"margin {decision.Margin:F2} standard errors");
        Assert.True(decision.StandardError > 0.05);
    }

    [Fact]
    public void Given_a_richer_model_that_is_worse_or_diverged_When_decided_Then_the_simpler_model_is_kept()
    {
        double[] simpler = [0.2, 0.3, 0.4, 0.5];

        Assert.False(SimplerModelRule.Decide(simpler, [0.3, 0.4, 0.5, 0.6]).KeepRicher);
        Assert.False(SimplerModelRule.Decide(simpler, [double.NaN, 0.1, 0.1, 0.1]).KeepRicher); // a NaN loss is not a tie
    }

    [Fact]
    public void Given_losses_of_different_examples_When_decided_Then_it_refuses()
    {
        Assert.Throws<ArgumentException>(() => SimplerModelRule.Decide([0.1, 0.2], [0.1]));
    }
}
