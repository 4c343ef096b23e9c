using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Progress;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>Per-example losses of both models on examples neither was fitted on, pooled over the folds (same order in both).</summary>
/// <param name="SimplerWrong">Classification: which examples the simpler model misclassified (null for a regression); likewise RicherWrong.</param>
public sealed record CrossValidatedLosses(double[] Simpler, double[] Richer, bool[]? SimplerWrong, bool[]? RicherWrong, int Folds, int RicherSteps)
{
    /// <summary>Classification: the misclassified examples of each model, for <see cref="SimplerModelRule"/>'s tie on errors.</summary>
    public (bool[] Simpler, bool[] Richer)? Wrong => SimplerWrong is { } s && RicherWrong is { } r ? (s, r) : null;
}

/// <summary>
/// The model choice's evidence when the validation split is too small to decide on: k-fold cross-validation on the
/// training and validation examples together (the test split is never read). Each fold refits both models exactly as the
/// run configured them — the richer model for the number of steps its final training kept, the linear model with the
/// penalty validation chose — on the other folds, and scores them on the fold. Every training and validation example is
/// then scored once by models that never saw it, so the comparison rests on all of them instead of a few dozen rows on
/// which a lucky richer model can reach a loss of ~0. Hyperparameters are fixed, not re-chosen per fold, so nothing is
/// selected on the examples that are scored.
/// </summary>
public static class SimplerModelCrossValidation
{
    /// <summary>Folds: each refit sees 4/5 of the pool, about as much as the run's own training split.</summary>
    public const int Folds = 5;

    /// <summary>Fixed seed of the fold assignment: a training seed must not change which examples are scored together.</summary>
    const int FoldSeed = 20_171_129;

    /// <summary>
    /// Validation splits below this many examples decide by cross-validation. The standard error of a per-example
    /// comparison is only honest when both models make some errors on the split; below about a thousand rows a model that
    /// fits the few validation rows perfectly by chance looks infinitely better. Above it the split decides (and k refits
    /// of a larger table would cost more than the stage is worth).
    /// </summary>
    public const int ValidationBelow = 1_000;

    public static bool Applies(Dataset data) => data.Validation.Count < ValidationBelow && data.Train.Count + data.Validation.Count >= 2 * Folds;

    /// <param name="richer">The trained default model (its story gives the step count to refit with).</param>
    /// <param name="richerPipeline">Its pipeline; its data view (standardized targets for a regression) is the pool.</param>
    /// <param name="linearPipeline">The linear model's pipeline (model factory and input transform).</param>
    /// <param name="penalty">The L2 penalty validation chose for the linear model.</param>
    /// <param name="normalizer">The run's input normalizer (the pipelines' transforms already apply it).</param>
    public static CrossValidatedLosses Score(TrainedModel richer, Pipeline richerPipeline, Pipeline linearPipeline, double penalty, InputNormalizer normalizer, long seed, IProgressSink progress)
    {
        var data = richerPipeline.Data;
        using var pool = Pool(data.Train, data.Validation);
        int[]? classes = data.Task == TaskKind.Classification ? pool.Targets.to_type(int32).data<int>().ToArray() : null;
        var fold = SimplerModelFolds.Assign(pool.Count, Folds, classes, FoldSeed);
        int steps = Math.Max(1, richer.Story.RestoredStep ?? richer.Story.BestStep ?? richer.Story.Result.Steps);
        var (simpler, richerLosses) = (new double[pool.Count], new double[pool.Count]);
        var (simplerWrong, richerWrong) = (new bool[pool.Count], new bool[pool.Count]);
        using var task = progress.Start($"cross-validating linear vs {richer.Name} ({Folds} folds)", Folds);
        for (int k = 0; k < Folds; k++)
        {
            var heldOut = Enumerable.Range(0, pool.Count).Where(i => fold[i] == k).Select(i => (long)i).ToArray();
            var fitOn = Enumerable.Range(0, pool.Count).Where(i => fold[i] != k).Select(i => (long)i).ToArray();
            using var foldData = FoldData(data, pool.Subset("train", fitOn), pool.Subset("validation", heldOut));
            var linear = LinearPredictions(linearPipeline with { Data = foldData }, penalty, seed);
            var trained = RicherPredictions(richerPipeline with { Data = foldData }, normalizer, steps, seed);
            var (linearWrong, trainedWrong) = (Wrong(linear), Wrong(trained));
            for (int j = 0; j < heldOut.Length; j++)
            {
                simpler[heldOut[j]] = linear.Losses[j];
                richerLosses[heldOut[j]] = trained.Losses[j];
                simplerWrong[heldOut[j]] = linearWrong[j];
                richerWrong[heldOut[j]] = trainedWrong[j];
            }
            task.Advance();
        }
        bool classified = data.Task == TaskKind.Classification;
        return new CrossValidatedLosses(simpler, richerLosses, classified ? simplerWrong : null, classified ? richerWrong : null, Folds, steps);
    }

    static bool[] Wrong(Diagnostics.SplitPredictions predictions) =>
        predictions.Labels is { } labels ? predictions.Predicted().Select((p, i) => p != labels[i]).ToArray() : new bool[predictions.Count];

    static Diagnostics.SplitPredictions LinearPredictions(Pipeline pipeline, double penalty, long seed)
    {
        Seeding.Apply(seed);
        using var model = pipeline.CreateModel();
        using (var scope = NewDisposeScope())
        {
            var (train, validation) = (pipeline.Data.Train, pipeline.Data.Validation);
            LinearFit.Fit(((IHasOutputLayer)model).Output, pipeline.Data.Task,
                (pipeline.Transform(train.Inputs), train.Targets), (pipeline.Transform(validation.Inputs), validation.Targets), [penalty]);
        }
        return Diagnostics.SplitPredictions.Measure(model, pipeline.Data.Validation, pipeline.Data.Task, pipeline.Transform);
    }

    /// <summary>The richer pipeline refitted for a fixed number of steps, no early stopping (the held-out fold is never looked at while training).</summary>
    static Diagnostics.SplitPredictions RicherPredictions(Pipeline pipeline, InputNormalizer normalizer, int steps, long seed)
    {
        Seeding.Apply(seed);
        using var model = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        int perEpoch = Math.Max(1, (pipeline.Data.Train.Count + pipeline.Training.BatchSize - 1) / pipeline.Training.BatchSize);
        var config = pipeline.Training with { MaxSteps = steps, Epochs = steps / perEpoch + 1, EvaluateValidation = false };
        var hooks = new List<ITrainingHook>();
        if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
        new Trainer(hooks).Fit(pipeline.ContextFor(model, setup, normalizer, config));
        return Diagnostics.SplitPredictions.Measure(model, pipeline.Data.Validation, pipeline.Data.Task, pipeline.Transform);
    }

    static DataSplit Pool(DataSplit train, DataSplit validation) =>
        new("pool", cat([train.Inputs, validation.Inputs]), cat([train.Targets, validation.Targets]), null,
            [.. train.SourceIndices, .. validation.SourceIndices]);

    /// <summary>The dataset with the fold's splits; the test split is the held-out fold again (never the real test split).</summary>
    static Dataset FoldData(Dataset data, DataSplit train, DataSplit heldOut) => new()
    {
        Name = data.Name, Source = data.Source, Format = data.Format, Task = data.Task, ClassNames = data.ClassNames,
        ExampleShape = data.ExampleShape, Train = train, Validation = heldOut, Test = heldOut.Subset("test", []), Table = data.Table,
        Vocabulary = data.Vocabulary, Notes = data.Notes,
    };
}
