using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class PredictionDynamicsTests
{
    [Fact]
    public void Given_adam_at_3e_4_When_checked_Then_predictions_move_smoothly_toward_the_labels()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new PredictionDynamics(), CheckTestData.FashionPipeline());
        Assert.Single(result.Evidence.Pictures);
    }

    [Fact]
    public void Given_a_learning_rate_far_too_high_When_checked_Then_the_jitter_fails_it()
    {
        // Given Adam at 3e-2, a hundred times the safe 3e-4
        var broken = CheckTestData.FashionPipeline() with { CreateOptimizer = (parameters, _) => new OptimizerSetup(optim.Adam(parameters, 3e-2)) };
        var result = CheckAssert.Verdict(Verdict.Fail, new PredictionDynamics(), broken);
        Assert.True(result.Evidence["jitter"] > PredictionDynamics.Smooth.Threshold, $"jitter {result.Evidence["jitter"]}");
    }

    [Fact]
    public void Given_a_smooth_trend_When_its_wiggle_is_measured_Then_it_is_zero_and_a_zig_zag_is_not()
    {
        Assert.Equal(0, PredictionDynamics.Wiggle([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]), 9);
        Assert.True(PredictionDynamics.Wiggle([0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9]) > 0.2);
    }
}
