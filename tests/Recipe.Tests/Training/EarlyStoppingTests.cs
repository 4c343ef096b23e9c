using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Support;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Training;

public class EarlyStoppingTests
{
    static (TrainingResult Result, EvaluationResult Final) Train(Dataset data, TrainingConfig config, IReadOnlyList<ITrainingHook> hooks, int width = 256)
    {
        Seeding.Apply(config.Seed);
        using var model = new Mlp(8, [width], 2);
        using var optimizer = new FusedAdam(model.parameters(), config.LearningRate);
        using var identity = InputNormalizer.Identity();
        var result = new Trainer(hooks).Fit(new TrainingContext(model, data, identity, optimizer, config));
        return (result, Evaluation.Run(model, data.Validation, data.Task, identity));
    }

    [Fact]
    public void Given_a_wide_net_that_memorizes_noisy_labels_When_trained_with_early_stopping_Then_it_stops_on_validation_and_keeps_the_best_weights()
    {
        // Given 40 training rows whose labels are half noise: validation loss falls, then rises as the net memorizes
        using var data = TinyTables.NoisyTwoClass(train: 40, validation: 300, noise: 1.0);
        var config = new TrainingConfig { BatchSize = 40, LearningRate = 1e-2, Epochs = 2000, MaxSteps = 2000, EvaluateEverySteps = 1 };
        using var early = new EarlyStopping();

        // When
        var (result, final) = Train(data, config, [early]);

        // Then: stopped long before the step limit, because validation stopped improving ...
        Assert.False(early.StillImproving, result.StopReason);
        Assert.StartsWith("validation stopped improving", result.StopReason);
        Assert.True(result.Steps < 2000, $"{result.Steps} steps");
        // ... the curve did rise after its best point (without early stopping the last weights would be worse) ...
        Assert.True(result.Validations[^1].Result.Loss > early.BestLoss * 1.01,
            $"last validation loss {result.Validations[^1].Result.Loss} vs best {early.BestLoss}");
        // ... and the model now holds the best point's weights
        Assert.Equal(early.BestStep, early.RestoredStep);
        Assert.Equal(early.BestLoss, final.Loss, 5);
    }

    [Fact]
    public void Given_validation_still_improving_at_the_budget_When_extension_is_granted_Then_the_budget_doubles_up_to_its_ceiling()
    {
        using var data = TinyTables.NoisyTwoClass(train: 200, validation: 100, noise: 0.1);
        var config = new TrainingConfig { BatchSize = 50, LearningRate = 1e-4, Epochs = 100, MaxSteps = 80, EvaluateEverySteps = 5 };

        var extended = new StepBudget(20, 80, extend: () => true);
        var (longer, _) = Train(data, config, [extended], width: 16);
        var refused = new StepBudget(20, 80, extend: () => false);
        var (shorter, _) = Train(data, config, [refused], width: 16);

        Assert.Equal(80, longer.Steps);
        Assert.Equal(2, extended.Extensions);
        Assert.Equal(20, shorter.Steps);
        Assert.True(refused.Exhausted);
        Assert.Equal("used the step budget (20 steps) with validation still improving", shorter.StopReason);
    }

    [Fact]
    public void Given_validation_every_few_steps_When_trained_Then_every_evaluation_covers_the_whole_split_at_its_step()
    {
        using var data = TinyTables.NoisyTwoClass(train: 100, validation: 30, noise: 0.1);
        var config = new TrainingConfig { BatchSize = 25, Epochs = 3, EvaluateEverySteps = 5 }; // 4 steps per epoch, 12 in all

        var (result, _) = Train(data, config, [], width: 8);

        Assert.Equal([0, 5, 10, 12], result.Validations.Select(v => v.Step));
        Assert.All(result.Validations, v => Assert.Equal(30, v.Result.Examples));
    }
}
