using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class DumbBaselinesTests
{
    [Fact]
    public void Given_a_correct_pipeline_When_checked_Then_the_baselines_are_recorded_and_the_model_beats_the_prior()
    {
        var result = CheckAssert.NoAlarm(new DumbBaselines(), CheckTestData.FashionPipeline());
        Assert.InRange(result.Evidence["majority_accuracy"], 0.05, 0.2);
        Assert.True(result.Evidence["linear_accuracy"] > 0.6, $"linear accuracy {result.Evidence["linear_accuracy"]}");
        Assert.True(result.Evidence["model_accuracy"] > 0.6, $"model accuracy {result.Evidence["model_accuracy"]}");
        Assert.Contains("linear_accuracy", result.Evidence.MetricNames);
    }

    [Fact]
    public void Given_shuffled_training_labels_When_checked_Then_the_model_does_not_beat_the_majority_class_and_it_fails()
    {
        var shuffled = CheckTestData.WithTargets(CheckTestData.FashionMnist,
            split => split.Targets.index_select(0, randperm(split.Count, generator: new TorchSharp.torch.Generator(3))));
        CheckAssert.Verdict(Verdict.Fail, new DumbBaselines(), CheckTestData.FashionPipeline() with { Data = shuffled });
    }

    [Fact]
    public void Given_a_regression_When_checked_Then_the_mean_predictor_is_the_prior_baseline()
    {
        var result = CheckAssert.NoAlarm(new DumbBaselines(), LossAtInitTests.RegressionPipeline(CheckTestData.OffsetRegression(), biasFromMean: true));
        Assert.True(result.Evidence["model_loss"] < result.Evidence["mean_predictor_loss"]);
    }

    [Fact]
    public void Given_text_as_one_hot_vectors_rather_than_token_ids_When_checked_Then_the_bigram_uses_the_stored_ids_and_the_model_beats_the_unigram()
    {
        var result = CheckAssert.NoAlarm(new DumbBaselines(), ShapeTestData.OneHotWords());
        Assert.True(result.Evidence["linear_loss"] < result.Evidence["unigram_loss"]);
    }

    [Fact]
    public void Given_text_whose_one_hot_transform_loses_the_tokens_When_checked_Then_the_model_cannot_beat_the_unigram_and_it_fails()
    {
        var blind = ShapeTestData.OneHotWords(transform: stored => nn.functional.one_hot(zeros_like(stored), CheckTestData.Words.Vocabulary!.Size).to_type(float32));
        CheckAssert.Verdict(Verdict.Fail, new DumbBaselines(), blind);
    }

    [Fact]
    public void Given_a_regression_with_targets_in_the_hundreds_When_its_targets_are_left_raw_Then_the_linear_baseline_is_held_to_the_mean_predictor_and_warned()
    {
        // Given y ≈ 300 ± 30: Recipe's pipeline standardizes it; a pipeline on raw targets gives a linear "baseline" far worse than the mean
        using var data = OffsetBy(CheckTestData.OffsetRegression(), 250);
        using var normalizer = Recipe.Data.InputNormalizer.Identity();
        var standardized = Pipeline.Default(data, normalizer, "mlp");
        var raw = standardized with { Data = data, TargetScale = null };

        var correct = CheckAssert.Run(new DumbBaselines(), standardized);
        var broken = CheckAssert.Run(new DumbBaselines(), raw);

        Assert.Equal(Verdict.Pass, correct.Evidence.Conditions.Single(c => c.Title == DumbBaselines.LinearBeatsPrior.Title).Verdict);
        Assert.Equal(Verdict.Warn, broken.Evidence.Conditions.Single(c => c.Title == DumbBaselines.LinearBeatsPrior.Title).Verdict);
        Assert.NotEqual(Verdict.Pass, broken.Verdict);
    }

    static Recipe.Data.Dataset OffsetBy(Recipe.Data.Dataset source, float offset) =>
        CheckTestData.WithTargets(source, split => split.Targets.add(offset), trainOnly: false);
}
