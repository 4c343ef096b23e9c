using System.Diagnostics;
using System.Globalization;
using Recipe.Checks;
using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Diagnostics;

/// <summary>
/// How the k-fold search for label errors may spend its time. Each fold trains a fresh model of the pipeline on
/// the other folds until validation stops improving (early stopping on the validation split, which no fold
/// trains on), for at most <see cref="StepsPerFold"/> steps, so the cost is at most folds × steps whatever the
/// size of the data.
/// </summary>
public sealed record LabelErrorOptions
{
    public int Folds { get; init; } = 4;
    /// <summary>Cap on optimizer steps per fold; null = ten passes over the fold's training part (<see cref="MistakesDiagnosis"/> caps it at the final run's length).</summary>
    public int? StepsPerFold { get; init; }
    public long Seed { get; init; } = 0;
}

/// <summary>The outcome of the search: out-of-sample probabilities, the per-class thresholds, the suspects and the cost.</summary>
/// <param name="StepsPerFold">The most steps any fold trained (early stopping ends most sooner than the cap).</param>
public sealed record LabelErrorReport(
    string Split,
    IReadOnlyList<string> ClassNames,
    SplitPredictions OutOfSample,
    double[] Thresholds,
    IReadOnlyList<SuspectedLabel> Suspects,
    int Folds,
    int StepsPerFold,
    TimeSpan Elapsed)
{
    /// <summary>Accuracy of the out-of-sample predictions against the given labels (how good the folds' models were).</summary>
    public double OutOfSampleAccuracy
    {
        get
        {
            var predicted = OutOfSample.Predicted();
            return predicted.Where((p, i) => p == OutOfSample.Labels![i]).Count() / (double)Math.Max(1, predicted.Length);
        }
    }

    /// <summary>The share of the most common given label: what out-of-sample accuracy must clearly beat.</summary>
    public double MajorityShare => OutOfSample.Labels!.GroupBy(l => l).Max(g => g.Count()) / (double)Math.Max(1, OutOfSample.Count);

    /// <summary>
    /// Whether the folds' models learned enough for their disagreement with a label to mean anything: out-of-sample
    /// accuracy above the majority share by more than three binomial standard errors. Suspects from models no better
    /// than always guessing the common class are noise.
    /// </summary>
    public bool Reliable => OutOfSampleAccuracy > MajorityShare + 3 * Math.Sqrt(MajorityShare * (1 - MajorityShare) / Math.Max(1, OutOfSample.Count));

    /// <summary>
    /// suspected_labels.csv: split, index (in the split), source index (in the file read), given label, suspected label,
    /// probability of the suspected label, probability of the given label; most contradicted first.
    /// </summary>
    public void WriteCsv(string path, DataSplit split)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("split,index,source_index,origin,given_label,suspected_label,probability,given_probability");
        foreach (var s in Suspects)
            writer.WriteLine(string.Join(",", Split, s.Index.ToString(CultureInfo.InvariantCulture), split.SourceIndices[s.Index].ToString(CultureInfo.InvariantCulture),
                Csv(split.OriginOf(s.Index)), Csv(ClassNames[(int)s.Given]), Csv(ClassNames[(int)s.Suspected]),
                s.SuspectedProbability.ToString("F4", CultureInfo.InvariantCulture), s.GivenProbability.ToString("F4", CultureInfo.InvariantCulture)));
    }

    static string Csv(string field) => field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";
}

/// <summary>
/// Suspected label errors on the training split (confident learning): k-fold out-of-sample probabilities — every
/// training example is predicted by a model that never saw it — then <see cref="ConfidentLearning"/>. Opt-in: it
/// trains <see cref="LabelErrorOptions.Folds"/> extra models.
/// </summary>
public static class LabelErrorSearch
{
    public static LabelErrorReport Run(Pipeline pipeline, LabelErrorOptions? options = null)
    {
        options ??= new LabelErrorOptions();
        var data = pipeline.Data;
        if (data.Task != TaskKind.Classification) throw new ArgumentException($"label errors need classes; {data.Name} is {data.Task}");
        if (options.Folds < 2) throw new ArgumentOutOfRangeException(nameof(options), "at least 2 folds");
        var clock = Stopwatch.StartNew();
        var train = data.Train;
        int n = train.Count;
        var fold = FoldOf(n, options.Folds, options.Seed);
        int classes = data.ClassCount;
        var probabilities = new float[n, classes];
        var losses = new double[n];
        int stepsPerFold = 0;
        for (int k = 0; k < options.Folds; k++)
        {
            var held = Enumerable.Range(0, n).Where(i => fold[i] == k).Select(i => (long)i).ToArray();
            var rest = Enumerable.Range(0, n).Where(i => fold[i] != k).Select(i => (long)i).ToArray();
            using var foldTrain = train.Subset("train", rest);
            using var foldHeld = train.Subset($"fold {k + 1}", held);
            int batch = Math.Min(pipeline.Training.BatchSize, rest.Length);
            int cap = options.StepsPerFold ?? 10 * ((rest.Length + batch - 1) / batch);
            var (model, result) = ShortTraining.Run(pipeline, foldTrain, new ShortTrainingSpec(cap, EarlyStopping: true), options.Seed + 7919 * (k + 1));
            stepsPerFold = Math.Max(stepsPerFold, result.Steps);
            using (model)
            {
                var predictions = SplitPredictions.Measure(model, foldHeld, data.Task, pipeline.Transform);
                for (int j = 0; j < held.Length; j++)
                {
                    losses[held[j]] = predictions.Losses[j];
                    for (int c = 0; c < classes; c++) probabilities[held[j], c] = predictions.Probabilities![j, c];
                }
            }
        }
        var labels = train.Targets.data<long>().ToArray();
        var outOfSample = new SplitPredictions { Split = "train", Task = data.Task, Losses = losses, Labels = labels, Probabilities = probabilities };
        var thresholds = ConfidentLearning.Thresholds(probabilities, labels);
        var suspects = ConfidentLearning.Find(probabilities, labels, thresholds);
        return new LabelErrorReport("train", data.ClassNames, outOfSample, thresholds, suspects, options.Folds, stepsPerFold, clock.Elapsed);
    }

    /// <summary>A seeded assignment of each example to one of <paramref name="folds"/> folds of equal size.</summary>
    static int[] FoldOf(int n, int folds, long seed)
    {
        var random = new Random(unchecked((int)seed ^ 0x5f3759df));
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        var fold = new int[n];
        for (int r = 0; r < n; r++) fold[order[r]] = r % folds;
        return fold;
    }
}
