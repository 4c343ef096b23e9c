using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Support;
using Recipe.Training;

namespace Recipe.Tests.Training;

public class LearningRateDropsTests
{
    static (TrainingResult Result, double FinalValidationLoss) Train(Dataset data, ITrainingHook hook)
    {
        var config = new TrainingConfig { BatchSize = 40, LearningRate = 1e-2, Epochs = 3000, MaxSteps = 3000, EvaluateEverySteps = 1, Seed = 3 };
        Seeding.Apply(config.Seed);
        using var model = new Mlp(8, [256], 2);
        using var optimizer = new FusedAdam(model.parameters(), config.LearningRate);
        using var identity = InputNormalizer.Identity();
        var result = new Trainer([hook]).Fit(new TrainingContext(model, data, identity, optimizer, config));
        return (result, Evaluation.Run(model, data.Validation, data.Task, identity).Loss);
    }

    [Fact]
    public void Given_a_net_that_memorizes_noise_When_its_plateaus_may_lower_the_rate_twice_Then_each_restarts_from_the_best_weights_at_a_tenth_of_the_rate_and_the_third_stops_the_run()
    {
        // Given 40 rows whose labels are half noise: validation loss falls, then rises as the net memorizes
        using var data = TinyTables.NoisyTwoClass(train: 40, validation: 300, noise: 1.0);
        using var plain = new EarlyStopping();
        var (control, _) = Train(data, plain);

        // When
        using var early = new EarlyStopping();
        var drops = new LearningRateDrops(early, drops: 2);
        var (result, finalLoss) = Train(data, drops);

        // Then: the first plateau is where plain early stopping stopped; it and the next lowered the rate ×0.1 each ...
        Assert.Equal(2, drops.Dropped.Count);
        Assert.Equal(control.Steps, drops.Dropped[0].Step);
        Assert.Equal(1e-3, drops.Dropped[0].Rate, 9);
        Assert.Equal(1e-4, drops.Dropped[1].Rate, 9);
        // ... training went on after them and a third plateau ended it on validation ...
        Assert.True(result.Steps > drops.Dropped[1].Step, $"{result.Steps} steps, last drop at {drops.Dropped[1].Step}");
        Assert.StartsWith("validation stopped improving", result.StopReason);
        // ... each drop restarted from the best weights: the next validation is below the loss that triggered it ...
        foreach (var (step, _) in drops.Dropped)
        {
            double atDrop = result.Validations.First(v => v.Step == step).Result.Loss;
            double after = result.Validations.First(v => v.Step > step).Result.Loss;
            Assert.True(after < atDrop, $"validation {atDrop} at the drop (step {step}), {after} after it");
        }
        // ... and the model ends on the best weights of the whole run, no worse than plain early stopping's
        Assert.Equal(early.BestLoss, finalLoss, 5);
        Assert.True(early.BestLoss <= plain.BestLoss, $"{early.BestLoss} vs {plain.BestLoss}");
    }

    [Fact]
    public void Given_no_drops_allowed_When_trained_Then_it_is_plain_early_stopping()
    {
        using var data = TinyTables.NoisyTwoClass(train: 40, validation: 300, noise: 1.0);
        using var plain = new EarlyStopping();
        var (control, _) = Train(data, plain);

        using var early = new EarlyStopping();
        var none = new LearningRateDrops(early, drops: 0);
        var (result, _) = Train(data, none);

        Assert.Empty(none.Dropped);
        Assert.Equal(control.Steps, result.Steps);
        Assert.Equal("", none.Describe());
    }
}
