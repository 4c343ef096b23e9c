using Recipe.Checks;
using Recipe.Data;
using Recipe.Diagnostics;
using Recipe.Progress;
using Recipe.Stages;
using Recipe.Tests.Support;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Stages;

public class SimplerModelCrossValidationTests
{
    /// <summary>
    /// label = (x0 > 0), with a share of the training labels flipped; the validation rows are few, clean and far from the
    /// boundary, so every model classifies them right and a net that memorized its training set is just more confident there.
    /// </summary>
    static Dataset LinearTableWithALuckyValidationSplit(int train = 200, int validation = 16, double flipped = 0.15, int seed = 5)
    {
        var generator = new Generator((ulong)seed);
        var x = randn([train, 4], generator: generator);
        var y = x[.., 0].gt(0).to_type(int64);
        var flip = rand([train], generator: generator).lt(flipped);
        y = where(flip, 1 - y, y);
        var candidates = randn([validation * 10, 4], generator: generator);
        var far = candidates.index_select(0, nonzero(candidates[.., 0].abs().gt(1.0)).reshape(-1).narrow(0, 0, validation));
        DataSplit Validation(string name) => new(name, far.clone(), far[.., 0].gt(0).to_type(int64));
        return new Dataset
        {
            Name = "linear with a lucky validation split", Source = "synthetic", Format = DataFormat.Csv, Task = TaskKind.Classification,
            ClassNames = ["no", "yes"], ExampleShape = [4], Train = new DataSplit("train", x, y),
            Validation = Validation("validation"), Test = Validation("test"),
        };
    }

    /// <summary>A wide MLP trained full batch far past the point where it fits the flipped labels (no early stopping).</summary>
    static TrainedModel Memorizer(Pipeline pipeline, InputNormalizer normalizer, int steps)
    {
        Seeding.Apply(0);
        var model = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        var config = pipeline.Training with { MaxSteps = steps, Epochs = steps, EvaluateValidation = false };
        var result = new Trainer([]).Fit(pipeline.ContextFor(model, setup, normalizer, config));
        return new TrainedModel("mlp", model, config, new TrainingStory(result, steps, null, null, null));
    }

    [Fact]
    public void Given_a_linear_table_whose_tiny_validation_split_flatters_a_memorizing_mlp_When_weighed_Then_cross_validation_keeps_the_linear_model()
    {
        // Given
        using var data = LinearTableWithALuckyValidationSplit();
        using var normalizer = InputNormalizer.Identity();
        var pipeline = Pipeline.Default(data, normalizer, "mlp", new TrainingConfig { BatchSize = 200, LearningRate = 1e-2 });
        var richer = Memorizer(pipeline, normalizer, steps: 400);
        using var richerModel = richer.Model;

        // When
        using var outcome = SimplerModelChoice.Weigh(richer, pipeline, new RunOptions(), data, normalizer, NullProgress.Instance);

        // Then: on the validation split alone the memorizer wins beyond its standard error (the old rule is fooled) ...
        var onValidationAlone = SimplerModelRule.Decide(
            SplitPredictions.Measure(outcome.Linear.Model, data.Validation, data.Task, pipeline.Transform).Losses,
            SplitPredictions.Measure(richer.Model, data.Validation, data.Task, pipeline.Transform).Losses);
        Assert.True(onValidationAlone.KeepRicher, $"validation alone: linear {onValidationAlone.SimplerLoss} vs mlp {onValidationAlone.RicherLoss}");
        // ... but cross-validation scores all 216 rows with models that never saw them, and the linear model is kept
        Assert.NotNull(outcome.CrossValidation);
        Assert.Equal(216, outcome.Decision.Examples);
        Assert.False(outcome.Decision.KeepRicher, $"cross-validated: linear {outcome.Decision.SimplerLoss} vs mlp {outcome.Decision.RicherLoss}");
        Assert.Contains("5-fold cross-validation", outcome.Explanation);
        Assert.Contains("the simpler linear model is kept", outcome.Explanation);
    }

    [Fact]
    public void Given_a_validation_split_of_a_thousand_rows_When_asked_Then_the_split_decides_without_cross_validation()
    {
        using var small = TinyTables.NoisyTwoClass(train: 200, validation: 50, noise: 0.1);
        using var large = TinyTables.NoisyTwoClass(train: 200, validation: SimplerModelCrossValidation.ValidationBelow, noise: 0.1);

        Assert.True(SimplerModelCrossValidation.Applies(small));
        Assert.False(SimplerModelCrossValidation.Applies(large));
    }
}
