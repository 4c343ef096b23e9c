using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Models;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class LossAtInitTests
{
    [Fact]
    public void Given_a_small_init_When_checked_Then_the_loss_is_near_log_C_and_it_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new LossAtInit(), CheckTestData.FashionPipeline());
        Assert.InRange(result.Evidence["loss_at_init"], Math.Log(10) * 0.9, Math.Log(10) * 1.1);
    }

    [Fact]
    public void Given_final_layer_weights_ten_times_too_large_When_checked_Then_the_overconfident_init_fails()
    {
        var correct = CheckTestData.FashionPipeline();
        var broken = correct with
        {
            CreateModel = () =>
            {
                var model = correct.CreateModel();
                using (no_grad()) ((IHasOutputLayer)model).Output.weight!.mul_(10);
                return model;
            },
        };
        CheckAssert.Verdict(Verdict.Fail, new LossAtInit(), broken);
    }

    [Fact]
    public void Given_a_loss_summed_instead_of_averaged_When_checked_Then_it_fails()
    {
        var broken = CheckTestData.FashionPipeline() with
        {
            Loss = (output, targets) => nn.functional.cross_entropy(output, targets, reduction: nn.Reduction.Sum),
        };
        CheckAssert.Verdict(Verdict.Fail, new LossAtInit(), broken);
    }

    [Fact]
    public void Given_a_regression_with_the_bias_at_the_target_mean_When_checked_Then_the_loss_is_the_variance_and_it_passes()
    {
        var data = CheckTestData.OffsetRegression();
        var result = CheckAssert.Verdict(Verdict.Pass, new LossAtInit(), RegressionPipeline(data, biasFromMean: true));
        Assert.InRange(result.Evidence["loss_at_init"] / result.Evidence["mean_predictor_mse"], 0.8, 1.25);
    }

    internal static Pipeline RegressionPipeline(Recipe.Data.Dataset data, bool biasFromMean)
    {
        var normalizer = Recipe.Data.InputNormalizer.Identity();
        // A target around 50 ± 10 needs a larger step than 3e-4 to move within a short check run.
        return Pipeline.Default(data, normalizer, "mlp", new Recipe.Training.TrainingConfig { LearningRate = 1e-2 }) with
        {
            Data = data, TargetScale = null, // a user's pipeline on raw targets (Recipe's own standardizes them)
            CreateModel = () =>
            {
                var model = new Mlp(8, [16], 1);
                if (biasFromMean) FinalLayerInit.FromTargets(model, data);
                return model;
            },
        };
    }
}
