using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class InputsAtTheDoorTests
{
    [Fact]
    public void Given_inputs_normalized_with_this_datas_training_statistics_When_checked_Then_it_passes_with_pictures()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), CheckTestData.FashionPipeline());
        Assert.InRange(result.Evidence["mean"], -0.15, 0.15);
        Assert.InRange(result.Evidence["std"], 0.8, 1.2);
        Assert.True(result.Evidence.Pictures.Count >= 3, "histogram, the model input, and the decoded images");
    }

    [Theory]
    [InlineData(0.485, 0.229)]          // ImageNet's red-channel statistics, as used with "pretrained" weights
    [InlineData(72.94, 90.02)]          // Fashion-MNIST's statistics on the 0–255 scale, applied to 0–1 pixels
    public void Given_the_wrong_normalization_mean_When_checked_Then_it_fails(double mean, double std)
    {
        var broken = CheckTestData.FashionPipeline() with
        {
            Transform = stored => stored.to_type(float32).div(255f).sub(mean).div(std),
        };
        var result = CheckAssert.Verdict(Verdict.Fail, new InputsAtTheDoor(), broken);
        Assert.True(Math.Abs(result.Evidence["largest_abs_channel_mean"]) > InputsAtTheDoor.Centered.Threshold);
    }

    [Fact]
    public void Given_text_When_checked_Then_the_sequences_are_decoded_and_it_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), CheckTestData.WordsPipeline());
        Assert.Contains(result.Evidence.Tables, t => t.Rows.Count > 0 && t.Rows[0][0].StartsWith('\u2400'));
    }
}
