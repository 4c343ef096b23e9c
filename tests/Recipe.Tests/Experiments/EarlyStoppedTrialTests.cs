using Recipe.Experiments;
using Recipe.Tests.Regularization;

namespace Recipe.Tests.Experiments;

public class EarlyStoppedTrialTests
{
    [Fact]
    public void Given_a_model_that_overfits_until_validation_worsens_When_trialled_with_early_stopping_Then_the_best_weights_not_the_last_are_measured()
    {
        // patterns seen at three positions only: the longer it trains, the more confidently wrong it is elsewhere
        using var data = RegularizationPipelines.Rings(trainPositions: 3, train: 32);
        var pipeline = RegularizationPipelines.Mlp(data);

        var trial = EarlyStoppedTrial.Run(pipeline, seed: 2, maxSteps: 600);

        var best = trial.Validations.MinBy(v => v.Loss);
        var last = trial.Validations[^1];
        Assert.True(last.Loss > best.Loss * 1.05, $"the validation loss should worsen after its best: best {best.Loss} at {best.Step}, last {last.Loss} at {last.Step}");
        Assert.Equal(best.Step, trial.BestStep);
        Assert.Equal(best.Step, trial.RestoredStep);
        Assert.Equal(best.Loss, trial.Measurement.ValidationLoss, 4);
        Assert.True(trial.Measurement.ValidationLoss < last.Loss);
    }
}
