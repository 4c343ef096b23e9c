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

    [Fact]
    public void Given_a_learning_rate_parked_at_exactly_1_percent_of_its_peak_for_almost_all_the_run_When_checked_Then_it_fails()
    {
        // Given a schedule that drops to 1% after the first 3% of the run and stays there: never *below* 1%, useless all the same
        var pipeline = Planned((parameters, plan) =>
        {
            var adam = optim.Adam(parameters, 3e-4);
            int drop = Math.Max(1, plan.TotalSteps * 3 / 100);
            return new OptimizerSetup(adam, optim.lr_scheduler.LambdaLR(adam, step => step < drop ? 1.0 : 0.01));
        });
        var result = CheckAssert.Verdict(Verdict.Fail, new LearningRateSchedule(), pipeline);
        Assert.True(result.Evidence["share_of_steps_at_or_below_1_percent"] > 0.9);
    }

    [Fact]
    public void Given_the_imagenet_step_schedule_planned_in_steps_When_checked_Then_its_last_third_at_1_percent_passes()
    {
        // Given "divide by 10 every 30 epochs" over 90 epochs, converted to steps: the last third runs at exactly 1% of the peak
        var pipeline = Planned((parameters, plan) =>
        {
            var adam = optim.Adam(parameters, 3e-4);
            return new OptimizerSetup(adam, optim.lr_scheduler.StepLR(adam, step_size: 30 * plan.StepsPerEpoch, gamma: 0.1));
        });
        var result = CheckAssert.Verdict(Verdict.Pass, new LearningRateSchedule(), pipeline);
        Assert.InRange(result.Evidence["share_of_steps_at_or_below_1_percent"], 0.3, 0.35);
    }
}
