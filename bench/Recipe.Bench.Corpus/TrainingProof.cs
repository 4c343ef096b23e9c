using System.Diagnostics;
using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Bench.Corpus;

/// <summary>
/// Evidence that a corpus pipeline trains: its own full run (its epochs, batch size, optimizer and schedule, in
/// Recipe's training loop), then validation scored with the task's standard metric beside the prior's score
/// (majority class, or the training mean for regression). A correct pipeline must clearly beat the prior;
/// otherwise a "false alarm" on it might be a true one.
/// </summary>
public static class TrainingProof
{
    public sealed record Proof(string Name, string Metric, double Prior, double AtInit, double Trained, TimeSpan Elapsed)
    {
        public override string ToString() => $"{Name,-38} {Metric,-18} prior {Prior,8:G4}  init {AtInit,8:G4}  trained {Trained,8:G4}  ({Elapsed.TotalSeconds:F0} s)";
    }

    public static Proof Run(CorpusEntry entry, long seed = 0)
    {
        var clock = Stopwatch.StartNew();
        var pipeline = entry.Build();
        var data = pipeline.Data;
        Seeding.Apply(seed);
        using var model = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        using var identity = InputNormalizer.Identity();
        var hooks = new List<ITrainingHook>();
        if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
        var config = pipeline.Training with { Seed = seed, EvaluateValidation = false };
        var context = new TrainingContext(model, data, identity, setup.Optimizer, config)
        {
            Loss = pipeline.Loss, Transform = pipeline.Transform, Augment = pipeline.Augment,
        };
        double atInit = Score(model, data, pipeline.Transform);
        new Trainer(hooks).Fit(context);
        double trained = Score(model, data, pipeline.Transform);
        return new Proof(entry.Name, data.Task == TaskKind.Regression ? "validation MSE" : "validation accuracy", Prior(data), atInit, trained, clock.Elapsed);
    }

    static double Score(nn.Module<Tensor, Tensor> model, Dataset data, Func<Tensor, Tensor> transform)
    {
        var result = Evaluation.Run(model, data.Validation, data.Task, transform, (output, targets) => Losses.For(data.Task, output, targets), batchSize: 500);
        return result.Accuracy ?? result.Loss;
    }

    /// <summary>The prior's score: majority-class (or most frequent token) accuracy, or the MSE of predicting the training mean.</summary>
    static double Prior(Dataset data)
    {
        using var scope = NewDisposeScope();
        if (data.Task == TaskKind.Regression)
        {
            var mean = data.Train.Targets.mean();
            return data.Validation.Targets.sub(mean).square().mean().item<float>();
        }
        var train = data.Train.Targets.flatten();
        var counted = train.masked_select(train.ne(Losses.IgnoreIndex));
        long majority = counted.bincount(null, 0).argmax().item<long>();
        var validation = data.Validation.Targets.flatten();
        var valid = validation.ne(Losses.IgnoreIndex);
        return validation.eq(majority).logical_and(valid).sum().item<long>() / (double)valid.sum().item<long>();
    }
}
