using Recipe.Checks;
using Recipe.Data;
using Recipe.Diagnostics;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Bench;

/// <summary>
/// Suspected label errors (k-fold confident learning) on a Fashion-MNIST subset with 5 % of its training labels
/// moved to another class on purpose: how many of the flips it finds (recall), how many of its suspects are flips
/// (precision), what it costs, and — the control — how many it accuses on the same subset with the labels as
/// published. Fashion-MNIST's own labels have some real errors and many look-alike classes (shirt / T-shirt /
/// pullover), so "false" suspects on the clean twin are not all wrong.
/// </summary>
public sealed class LabelErrorsBenchmark : IBenchmark
{
    public string Name => "label-errors";
    public string Description => "suspected label errors on a Fashion-MNIST subset with 5 % flipped labels: recall, precision, time (default CNN, 4 folds)";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        int trainCount = options.Quick ? 2000 : 10000, stepsPerFold = options.Quick ? 60 : 400;
        using var full = DataSpec.Load("fashion-mnist");
        using var clean = Head(full, trainCount, 2000);
        var (noisy, flipped) = Flip(clean, 0.05, seed: 1);
        using var _ = noisy;
        var labelOptions = new LabelErrorOptions { Folds = 4, StepsPerFold = stepsPerFold };

        var planted = Search(noisy, labelOptions);
        int found = planted.Suspects.Count(s => flipped.Contains(s.Index));
        double recall = found / (double)flipped.Count, precision = found / (double)Math.Max(1, planted.Suspects.Count);
        Log.Line($"label-errors: {flipped.Count} flipped, {planted.Suspects.Count} suspects, {found} of them flipped; {planted.Elapsed.TotalSeconds:F0} s");
        var control = Search(clean, labelOptions);
        Log.Line($"label-errors: clean twin {control.Suspects.Count} suspects; {control.Elapsed.TotalSeconds:F0} s");

        string setting = $"{trainCount:N0} train, 4 folds ≤ {stepsPerFold} steps";
        return
        [
            new(Name, $"recall: flips found ({flipped.Count} flipped of {trainCount:N0}; {setting})", new Sample("", [recall]), Target.Minimum(0.5)),
            new(Name, $"precision: suspects that are flips ({planted.Suspects.Count} suspects)", new Sample("", [precision]), Target.Minimum(0.5)),
            new(Name, "out-of-sample accuracy of the folds' models (flipped data)", new Sample("", [planted.OutOfSampleAccuracy])),
            new(Name, "search time (4 fold trainings + predictions), s", new Sample("s", [planted.Elapsed.TotalSeconds])),
            new(Name, "clean twin: suspects per 1,000 training examples (control)", new Sample("", [1000.0 * control.Suspects.Count / trainCount])),
        ];
    }

    static LabelErrorReport Search(Dataset data, LabelErrorOptions options)
    {
        using var normalizer = InputNormalizer.FitTo(data);
        var pipeline = Pipeline.Default(data, normalizer, "cnn", new TrainingConfig { BatchSize = 128, Seed = 0 });
        return LabelErrorSearch.Run(pipeline, options);
    }

    static Dataset Head(Dataset full, int train, int validation) => new()
    {
        Name = full.Name, Source = full.Source, Format = full.Format, Task = full.Task, ClassNames = full.ClassNames, ExampleShape = full.ExampleShape,
        Train = full.Train.Subset("train", Enumerable.Range(0, train).Select(i => (long)i).ToArray()),
        Validation = full.Validation.Subset("validation", Enumerable.Range(0, validation).Select(i => (long)i).ToArray()),
        Test = full.Test.Subset("test", [0]),
    };

    /// <summary>The same data with <paramref name="share"/> of the training labels moved to a different class, drawn uniformly.</summary>
    static (Dataset Data, HashSet<int> Flipped) Flip(Dataset clean, double share, int seed)
    {
        var random = new Random(seed);
        var labels = clean.Train.Targets.data<long>().ToArray();
        var flipped = Enumerable.Range(0, labels.Length).OrderBy(_ => random.Next()).Take((int)Math.Round(share * labels.Length)).ToHashSet();
        foreach (var i in flipped) labels[i] = (labels[i] + 1 + random.Next(clean.ClassCount - 1)) % clean.ClassCount;
        return (new Dataset
        {
            Name = clean.Name + " (5 % flipped)", Source = clean.Source, Format = clean.Format, Task = clean.Task, ClassNames = clean.ClassNames, ExampleShape = clean.ExampleShape,
            Train = new DataSplit("train", clean.Train.Inputs.clone(), tensor(labels, dtype: int64)),
            Validation = new DataSplit("validation", clean.Validation.Inputs.clone(), clean.Validation.Targets.clone()),
            Test = new DataSplit("test", clean.Test.Inputs.clone(), clean.Test.Targets.clone()),
        }, flipped);
    }
}
