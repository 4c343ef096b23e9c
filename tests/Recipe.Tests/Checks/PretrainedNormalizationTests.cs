using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Interop;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class PretrainedNormalizationTests
{
    /// <summary>One grey channel normalized as the weights were: the statistics the pipeline itself fitted.</summary>
    static InputNormalization FittedStatistics() =>
        InputNormalization.Of(CheckTestData.FashionNormalizer, "a pretrained grey model")!;

    [Fact]
    public void Given_pretrained_weights_and_the_transform_they_were_trained_with_When_checked_Then_inputs_at_the_door_passes()
    {
        var pipeline = CheckTestData.FashionPipeline() with { PretrainedInput = FittedStatistics() };

        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), pipeline);

        Assert.InRange(result.Evidence["pretrained_normalization_gap_grey_levels"], 0, PretrainedNormalization.Agrees.Threshold);
    }

    [Theory]
    [InlineData(0.485, 0.229, 1)]   // ImageNet's red-channel statistics: the weights saw another mean and std
    [InlineData(0.286, 0.353, 255)] // the right statistics, but the weights saw 0–255 pixels
    public void Given_pretrained_weights_trained_with_another_normalization_When_checked_Then_inputs_at_the_door_fails(double mean, double std, double scale)
    {
        // The pipeline's own inputs are well normalized (the generic rules pass); only the weights' expectation differs.
        var pipeline = CheckTestData.FashionPipeline() with { PretrainedInput = new InputNormalization([mean], [std], scale, "injected") };

        var result = CheckAssert.Verdict(Verdict.Fail, new InputsAtTheDoor(), pipeline);

        Assert.True(result.Evidence["pretrained_normalization_gap_grey_levels"] > PretrainedNormalization.Agrees.Threshold);
        Assert.Contains("not the pretrained weights' normalization", result.Finding);
        Assert.InRange(result.Evidence["largest_abs_channel_mean"], 0, InputsAtTheDoor.Centered.Threshold);
    }

    [Fact]
    public void Given_RGB_ImageNet_weights_and_grey_images_When_checked_Then_it_fails_naming_the_channels()
    {
        var pipeline = CheckTestData.FashionPipeline() with { PretrainedInput = InputNormalization.TorchvisionImageNet };

        var result = CheckAssert.Verdict(Verdict.Fail, new InputsAtTheDoor(), pipeline);

        Assert.Contains("3-channel images, the data has 1", result.Finding);
    }
}
