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
}
