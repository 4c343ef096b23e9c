using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Models;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class LossDecreasesTests
{
    [Fact]
    public void Given_a_correct_pipeline_When_checked_Then_the_loss_goes_down_and_lower_with_more_capacity()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new LossDecreases(), CheckTestData.FashionPipeline());
        Assert.True(result.Evidence["larger_model_train_loss"] < result.Evidence["train_loss_at_half"]);
    }

    [Fact]
    public void Given_an_optimizer_built_over_another_models_parameters_When_checked_Then_the_loss_stays_flat_and_it_fails()
    {
        // Given the classic copy-paste bug: the optimizer holds the parameters of a second model, not of the one trained
        var broken = CheckTestData.FashionPipeline() with
        {
            CreateOptimizer = (_, _) => new OptimizerSetup(optim.Adam(new Mlp(784, [32], 10).parameters(), 3e-4)),
        };
        CheckAssert.Verdict(Verdict.Fail, new LossDecreases(), broken);
    }
}
