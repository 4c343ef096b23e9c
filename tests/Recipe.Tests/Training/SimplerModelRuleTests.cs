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
    public void Given_a_richer_model_with_lower_loss_but_no_fewer_mistakes_When_decided_Then_the_tie_goes_to_the_simpler_model()
    {
        // Given: the richer model's loss is lower on every example (more confident where both are right)
        var random = new Random(3);
        var simpler = Enumerable.Range(0, 200).Select(_ => 0.3 + random.NextDouble() * 0.2).ToArray();
        var richer = simpler.Select(l => l - 0.05 + (random.NextDouble() - 0.5) * 0.02).ToArray();

        // When: the richer misclassifies 3 fewer of 200 examples than the simpler one (11 vs 8, as breast cancer's folds) — within
        // the noise of which examples each gets wrong — and then 20 fewer (24 vs 4)
        bool[] Wrong(params int[] which) => Enumerable.Range(0, 200).Select(which.Contains).ToArray();
        var simplerWrong = Wrong([.. Enumerable.Range(0, 11)]);
        var tied = SimplerModelRule.Decide(simpler, richer, (simplerWrong, Wrong([.. Enumerable.Range(7, 8)]))); // 7 only the simpler gets wrong, 4 only the richer
        var fewer = SimplerModelRule.Decide(simpler, richer, (Wrong([.. Enumerable.Range(0, 24)]), Wrong([.. Enumerable.Range(0, 4)])));

        // Then
        Assert.True(tied.Margin > 10);
        Assert.False(tied.KeepRicher, $"error margin {tied.ErrorMargin:F2}");
        Assert.Equal((11, 8), tied.Errors);
        Assert.True(fewer.KeepRicher, $"error margin {fewer.ErrorMargin:F2}");
    }

    [Fact]
    public void Given_losses_of_different_examples_When_decided_Then_it_refuses()
    {
        Assert.Throws<ArgumentException>(() => SimplerModelRule.Decide([0.1, 0.2], [0.1]));
    }
}
