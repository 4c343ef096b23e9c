using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class InputIndependentBaselineTests
{
    [Fact]
    public void Given_labels_that_belong_to_their_inputs_When_checked_Then_real_inputs_beat_zeroed_ones()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new InputIndependentBaseline(), CheckTestData.FashionPipeline());
        Assert.InRange(result.Evidence["input_independent_accuracy"], 0.05, 0.2);
    }

    [Fact]
    public void Given_shuffled_training_labels_When_checked_Then_the_model_learns_nothing_from_inputs_and_it_fails()
    {
        var shuffled = CheckTestData.WithTargets(CheckTestData.FashionMnist,
            split => split.Targets.index_select(0, randperm(split.Count, generator: new TorchSharp.torch.Generator(3))));
        CheckAssert.Verdict(Verdict.Fail, new InputIndependentBaseline(), CheckTestData.FashionPipeline() with { Data = shuffled });
    }

    [Fact]
    public void Given_zeroed_training_labels_When_checked_Then_it_fails()
    {
        var zeroed = CheckTestData.WithTargets(CheckTestData.FashionMnist, split => zeros_like(split.Targets));
        CheckAssert.Verdict(Verdict.Fail, new InputIndependentBaseline(), CheckTestData.FashionPipeline() with { Data = zeroed });
    }
}
