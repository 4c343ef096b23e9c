using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Diagnostics;

/// <summary>Small in-memory tables for the diagnostics' tests: Gaussian class blobs, and the same blobs with labels flipped on purpose.</summary>
public static class DiagnosticsTestData
{
    /// <summary>
    /// <paramref name="classes"/> Gaussian blobs (std 1) in <paramref name="features"/> dimensions, centres drawn with
    /// std <paramref name="separation"/>: a small MLP learns them well, so a flipped label stands out.
    /// </summary>
    public static Dataset Blobs(int classes = 4, int features = 8, int train = 800, int validation = 400, double separation = 2.5, int seed = 5)
    {
        Recipe.Native.TorchRuntime.EnsureLoadable();
        torch.set_num_threads(1);
        var generator = new Generator((ulong)seed);
        var centres = randn([classes, features], generator: generator).mul(separation);
        DataSplit Make(string name, int count)
        {
            var labels = arange(count, dtype: int64).remainder(classes);
            var x = centres.index_select(0, labels).add(randn([count, features], generator: generator));
            return new DataSplit(name, x, labels);
        }
        return new Dataset
        {
            Name = "blobs", Source = "synthetic", Format = DataFormat.Csv, Task = TaskKind.Classification,
            ClassNames = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray(), ExampleShape = [features],
            Train = Make("train", train), Validation = Make("validation", validation), Test = Make("test", 100),
        };
    }

    /// <summary>
    /// The same data with <paramref name="share"/> of the chosen split's labels moved to another class (drawn
    /// uniformly among the others), and the indices that were flipped.
    /// </summary>
    public static (Dataset Data, HashSet<int> Flipped) FlipLabels(Dataset clean, double share, string split = "train", int seed = 11)
    {
        var random = new Random(seed);
        var target = clean.Split(split);
        var labels = target.Targets.data<long>().ToArray();
        int count = (int)Math.Round(share * labels.Length);
        var flipped = Enumerable.Range(0, labels.Length).OrderBy(_ => random.Next()).Take(count).ToHashSet();
        foreach (var i in flipped) labels[i] = (labels[i] + 1 + random.Next(clean.ClassCount - 1)) % clean.ClassCount;
        DataSplit Copy(DataSplit s) => s.Name == split
            ? new DataSplit(s.Name, s.Inputs.clone(), tensor(labels, dtype: int64))
            : new DataSplit(s.Name, s.Inputs.clone(), s.Targets.clone());
        var noisy = new Dataset
        {
            Name = clean.Name + " (flipped labels)", Source = clean.Source, Format = clean.Format, Task = clean.Task, ClassNames = clean.ClassNames,
            ExampleShape = clean.ExampleShape, Train = Copy(clean.Train), Validation = Copy(clean.Validation), Test = Copy(clean.Test),
        };
        return (noisy, flipped);
    }

    /// <summary>The same inputs with labels drawn at random (seeded) in every split: nothing to learn, at any data size.</summary>
    public static Dataset RandomLabels(Dataset clean, int seed = 13)
    {
        var generator = new Generator((ulong)seed);
        DataSplit Copy(DataSplit s) => new(s.Name, s.Inputs.clone(), randint(0, clean.ClassCount, [s.Count], generator: generator, dtype: int64));
        return new Dataset
        {
            Name = clean.Name + " (random labels)", Source = clean.Source, Format = clean.Format, Task = clean.Task, ClassNames = clean.ClassNames,
            ExampleShape = clean.ExampleShape, Train = Copy(clean.Train), Validation = Copy(clean.Validation), Test = Copy(clean.Test),
        };
    }

    /// <summary>Recipe's default pipeline on a table with a small MLP and Adam 3e-3 (fast on a shared CPU).</summary>
    public static Pipeline TablePipeline(Dataset data, int hidden = 32) =>
        Pipeline.Default(data, InputNormalizer.Identity(), "mlp", new TrainingConfig { BatchSize = 64, LearningRate = 3e-3 }) with
        {
            CreateModel = () => new Mlp(data.ExampleShape[0], [hidden], data.ClassCount),
        };
}
