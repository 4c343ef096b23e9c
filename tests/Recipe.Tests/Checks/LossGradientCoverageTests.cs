using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class LossGradientCoverageTests
{
    [Fact]
    public void Given_the_plain_cross_entropy_When_checked_Then_every_penalized_example_sends_gradient_and_it_passes()
    {
        CheckAssert.Verdict(Verdict.Pass, new LossGradientCoverage(), CheckTestData.FashionPipeline());
    }

    [Fact]
    public void Given_a_loss_clipped_per_example_instead_of_the_gradient_When_checked_Then_it_fails()
    {
        // Given "robust" training that clamps each example's loss at 1: examples above it get no gradient at all
        var broken = CheckTestData.FashionPipeline() with
        {
            Loss = (output, targets) => nn.functional.cross_entropy(output, targets, reduction: nn.Reduction.None).clamp_max(1.0).mean(),
        };
        var result = CheckAssert.Verdict(Verdict.Fail, new LossGradientCoverage(), broken);
        Assert.True(result.Evidence["silent_examples_at_init"] > 0);
    }

    [Fact]
    public void Given_a_sequence_loss_with_ignored_positions_When_checked_Then_it_passes()
    {
        CheckAssert.Verdict(Verdict.Pass, new LossGradientCoverage(), CheckTestData.WordsPipeline());
    }

    [Fact]
    public void Given_a_sequence_loss_that_clamps_the_padding_to_token_0_When_checked_Then_the_padding_positions_push_and_it_fails()
    {
        // Given the usual cross-entropy with targets.clamp(min: 0) instead of ignore_index: every padded position is trained as token 0
        var broken = CheckTestData.WordsPipeline() with
        {
            Loss = (output, targets) => nn.functional.cross_entropy(output.reshape(-1, output.shape[^1]), targets.clamp(min: 0).reshape(-1)),
        };
        var result = CheckAssert.Verdict(Verdict.Fail, new LossGradientCoverage(), broken);
        Assert.True(result.Evidence["padding_positions_with_gradient"] > 0);
        Assert.Contains("ignore_index", result.Advice);
    }

    [Fact]
    public void Given_a_sequence_loss_that_masks_the_padding_by_hand_When_checked_Then_no_padding_position_pushes_and_it_passes()
    {
        // Given a per-token loss multiplied by targets.ne(-1): the padding is read as token 0 but weighted 0, so it sends no gradient
        var masked = CheckTestData.WordsPipeline() with
        {
            Loss = (output, targets) =>
            {
                var perToken = nn.functional.cross_entropy(output.reshape(-1, output.shape[^1]), targets.clamp(min: 0).reshape(-1), reduction: nn.Reduction.None);
                var real = targets.ne(-1).reshape(-1).to_type(float32);
                return (perToken * real).sum() / real.sum();
            },
        };
        var result = CheckAssert.Verdict(Verdict.Pass, new LossGradientCoverage(), masked);
        Assert.True(result.Evidence["padding_positions"] > 0);
        Assert.Equal(0, result.Evidence["padding_positions_with_gradient"]);
    }
}
