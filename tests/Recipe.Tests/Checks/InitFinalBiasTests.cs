using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Models;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class InitFinalBiasTests
{
    /// <summary>Trousers against everything else: about 1 positive to 9 negatives.</summary>
    internal static Recipe.Data.Dataset Imbalanced() => CheckTestData.WithSplits(CheckTestData.FashionMnist,
        split => (split.Inputs.clone(), split.Targets.eq(1).to_type(int64)), ["other", "trouser"]);

    internal static Pipeline Binary(Recipe.Data.Dataset data, bool biasFromPriors) =>
        Pipeline.Default(data, CheckTestData.FashionNormalizer, "mlp") with
        {
            CreateModel = () =>
            {
                var model = new Mlp(784, [32], 2);
                if (biasFromPriors) FinalLayerInit.FromTargets(model, data);
                return model;
            },
        };

    [Fact]
    public void Given_imbalanced_classes_and_a_bias_from_the_priors_When_checked_Then_it_passes()
    {
        CheckAssert.Verdict(Verdict.Pass, new InitFinalBias(), Binary(Imbalanced(), biasFromPriors: true));
    }

    [Fact]
    public void Given_imbalanced_classes_and_a_default_final_layer_When_checked_Then_it_fails_and_shows_the_hockey_stick()
    {
        var result = CheckAssert.Verdict(Verdict.Fail, new InitFinalBias(), Binary(Imbalanced(), biasFromPriors: false));
        Assert.True(result.Evidence["first_step_loss_as_initialized"] > result.Evidence["first_step_loss_bias_from_priors"]);
        Assert.Single(result.Evidence.Pictures);
    }

    [Fact]
    public void Given_a_70_30_split_and_a_default_final_layer_When_checked_Then_the_small_detour_passes()
    {
        // Given shirts, t-shirts and pullovers (3 of 10 classes) against the rest: a uniform start wastes ~0.08 nats of ~0.61
        var seventyThirty = CheckTestData.WithSplits(CheckTestData.FashionMnist,
            split => (split.Inputs.clone(), split.Targets.eq(0).logical_or(split.Targets.eq(2)).logical_or(split.Targets.eq(6)).to_type(int64)), ["other", "top"]);
        var result = CheckAssert.Verdict(Verdict.Pass, new InitFinalBias(), Binary(seventyThirty, biasFromPriors: false));
        Assert.InRange(result.Evidence["wasted_share"], 0.01, 0.3);
    }

    [Fact]
    public void Given_a_character_model_with_a_default_final_layer_When_checked_Then_it_does_not_fail()
    {
        var pipeline = CheckTestData.WordsPipeline() with { CreateModel = () => new CausalCharConv(CheckTestData.Words.Vocabulary!.Size, hidden: 32) };
        var result = CheckAssert.NoAlarm(new InitFinalBias(), pipeline);
        Assert.True(result.Evidence["kl_prior_to_mean_prediction"] > 0.05, "the old fixed KL limit would have failed it");
    }

    [Fact]
    public void Given_imbalanced_classes_When_the_bias_is_default_or_from_the_priors_Then_the_wasted_share_is_far_apart()
    {
        var data = Imbalanced();
        var broken = CheckAssert.Run(new InitFinalBias(), Binary(data, biasFromPriors: false));
        var correct = CheckAssert.Run(new InitFinalBias(), Binary(data, biasFromPriors: true));
        Assert.True(broken.Evidence["wasted_share"] > 2 * InitFinalBias.PriorMatched.Threshold, $"broken {broken.Evidence["wasted_share"]}");
        Assert.True(correct.Evidence["wasted_share"] < InitFinalBias.PriorMatched.Threshold / 10, $"correct {correct.Evidence["wasted_share"]}");
    }

    [Fact]
    public void Given_a_regression_target_around_50_When_the_bias_starts_at_0_Then_it_fails_and_at_the_mean_it_passes()
    {
        var data = CheckTestData.OffsetRegression();
        CheckAssert.Verdict(Verdict.Fail, new InitFinalBias(), LossAtInitTests.RegressionPipeline(data, biasFromMean: false));
        CheckAssert.Verdict(Verdict.Pass, new InitFinalBias(), LossAtInitTests.RegressionPipeline(data, biasFromMean: true));
    }
}
