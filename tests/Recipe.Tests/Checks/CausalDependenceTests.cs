using Recipe.Checks;
using Recipe.Checks.Stage2;

namespace Recipe.Tests.Checks;

public class CausalDependenceTests
{
    [Fact]
    public void Given_a_causal_conv_on_inputs_shifted_by_one_When_checked_Then_it_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new CausalDependence(), CheckTestData.WordsPipeline());
        Assert.True(result.Evidence["share_of_targets_equal_to_input"] < 0.2);
    }

    [Fact]
    public void Given_a_conv_padded_on_both_sides_When_checked_Then_the_look_ahead_fails_it()
    {
        var broken = CheckTestData.WordsPipeline() with { CreateModel = () => new LookAheadCharConv(CheckTestData.Words.Vocabulary!.Size) };
        var result = CheckAssert.Verdict(Verdict.Fail, new CausalDependence(), broken);
        Assert.True(result.Evidence["relative_dependence_on_later_inputs"] > 0);
    }

    [Fact]
    public void Given_an_input_that_contains_its_own_target_off_by_one_When_checked_Then_it_fails()
    {
        // Given x = y: the input at t is the very character the model must predict at t
        var leaky = CheckTestData.WithSplits(CheckTestData.Words, split => (split.Targets.clamp_min(0), split.Targets.clone()));
        var broken = CheckTestData.WordsPipeline() with { Data = leaky };
        var result = CheckAssert.Verdict(Verdict.Fail, new CausalDependence(), broken);
        Assert.True(result.Evidence["share_of_targets_equal_to_input"] > 0.9);
    }

    [Fact]
    public void Given_images_When_checked_Then_it_is_skipped()
    {
        CheckAssert.Verdict(Verdict.Skipped, new CausalDependence(), CheckTestData.FashionPipeline());
    }
}
