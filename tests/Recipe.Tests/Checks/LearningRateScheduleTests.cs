using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class LearningRateScheduleTests
{
    /// <summary>An ImageNet-style plan: 90 epochs (here 10 steps each).</summary>
    static Pipeline Planned(OptimizerFactory factory) => CheckTestData.FashionPipeline() with
    {
        Training = new TrainingConfig { Epochs = 90, BatchSize = 60 },
        CreateOptimizer = factory,
    };

    [Fact]
    public void Given_a_constant_learning_rate_When_checked_Then_it_passes()
    {
        CheckAssert.Verdict(Verdict.Pass, new LearningRateSchedule(), CheckTestData.FashionPipeline());
    }

    [Fact]
    public void Given_a_cosine_decay_planned_over_the_whole_run_When_checked_Then_it_passes()
    {
        var pipeline = Planned((parameters, plan) =>
        {
            var adam = optim.Adam(parameters, 3e-4);
            return new OptimizerSetup(adam, optim.lr_scheduler.CosineAnnealingLR(adam, plan.TotalSteps));
        });
        CheckAssert.Verdict(Verdict.Pass, new LearningRateSchedule(), pipeline);
    }

    [Fact]
    public void Given_a_warm_up_from_zero_When_checked_Then_the_warm_up_is_not_mistaken_for_decay()
    {
        var pipeline = Planned((parameters, plan) =>
        {
            var adam = optim.Adam(parameters, 3e-4);
            return new OptimizerSetup(adam, optim.lr_scheduler.LambdaLR(adam, step => Math.Min(1.0, (step + 1) / 50.0)));
        });
        CheckAssert.Verdict(Verdict.Pass, new LearningRateSchedule(), pipeline);
    }

    [Fact]
    public void Given_an_epoch_schedule_stepped_every_iteration_When_checked_Then_the_early_decay_to_zero_fails_it()
    {
        // Given ImageNet's "divide by 10 every 30 epochs", written as StepLR(30) but stepped once per optimizer step
        var pipeline = Planned((parameters, _) =>
        {
            var adam = optim.Adam(parameters, 3e-4);
            return new OptimizerSetup(adam, optim.lr_scheduler.StepLR(adam, step_size: 30, gamma: 0.1));
        });
        var result = CheckAssert.Verdict(Verdict.Fail, new LearningRateSchedule(), pipeline);
        Assert.Equal(90, result.Evidence["step_lr_below_1_percent"]);
    }
}
