using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class LossDecreasesTests
{
    [Fact]
    public void Given_a_correct_pipeline_When_checked_Then_the_loss_goes_down_and_lower_with_more_capacity()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new LossDecreases(), CheckTestData.FashionPipeline());
        Assert.True(result.Evidence["larger_model_train_loss"] < result.Evidence["train_loss_at_same_steps"]);
    }

    [Fact]
    public void Given_an_optimizer_built_over_another_models_parameters_When_checked_Then_the_loss_stays_flat_and_it_fails()
    {
        // Given the classic copy-paste bug: the optimizer holds the parameters of a second model, not of the one trained
        var broken = CheckTestData.FashionPipeline() with
        {
            CreateOptimizer = (_, _) => new OptimizerSetup(optim.Adam(new Mlp(784, [32], 10).parameters(), 3e-4)),
        };
        var result = CheckAssert.Verdict(Verdict.Fail, new LossDecreases(), broken);
        Assert.Equal(1.0, result.Evidence["unchanged_share"]);
    }

    /// <summary>Adam whose zero_grad does nothing: every step's gradient is added to all the earlier ones.</summary>
    internal sealed class NeverZeroedAdam(IEnumerable<Parameter> parameters, double learningRate) : Adam(parameters, learningRate)
    {
        public override void zero_grad() { }
    }

    [Fact]
    public void Given_an_optimizer_that_never_zeroes_the_gradient_When_checked_Then_it_fails_on_the_gradient_left_behind()
    {
        var broken = CheckTestData.FashionPipeline() with { CreateOptimizer = (parameters, _) => new OptimizerSetup(new NeverZeroedAdam(parameters, 3e-4)) };
        var result = CheckAssert.Verdict(Verdict.Fail, new LossDecreases(), broken);
        Assert.True(result.Evidence["gradient_left_after_zero_grad"] > 0);
    }

    [Fact]
    public void Given_a_correct_pipeline_When_one_optimizer_step_is_probed_Then_it_moves_every_tensor_and_zero_grad_clears_them()
    {
        var result = CheckAssert.Run(new LossDecreases(), CheckTestData.FashionPipeline());
        Assert.Equal(0, result.Evidence["gradient_left_after_zero_grad"]);
        Assert.Equal(0, result.Evidence["unchanged_share"]);
        Assert.True(result.Evidence["parameter_tensors_with_gradient"] >= 4);
    }
}
