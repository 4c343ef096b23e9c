using Recipe.Checks.Stage2;
using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Checks.Splits;

/// <summary>
/// The mark of a target encoding computed with the held-out rows: each feature value, taken as a group of rows, is
/// compared with the mean target of its group over train alone and over train plus the held-out splits.
/// </summary>
public static class HeldOutTargetEncoding
{
    /// <summary>Examples shown in the evidence.</summary>
    const int Shown = 8;

    public static bool Applies(Dataset data) =>
        data.Task is TaskKind.Classification or TaskKind.Regression && data.Train.Inputs.dim() == 2 && data.Train.Inputs.is_floating_point()
        && data.Train.Targets.dim() == 1;

    /// <summary>Adds the per-feature distances and the condition to the evidence; returns a clause for the finding and the closest ratio (null: nothing to compare).</summary>
    public static (string Clause, double? Ratio) Test(Dataset data, Evidence evidence, Condition notEncoded)
    {
        var splits = data.Splits.ToArray();
        int features = (int)data.Train.Inputs.shape[1];
        var inputs = splits.Select(s => Copy<float>(s.Inputs, TorchSharp.torch.float32)).ToArray();
        var targets = splits.Select(s => Copy<double>(s.Targets, TorchSharp.torch.float64)).ToArray();
        var statistics = TargetStatistics(data);
        var names = data.Table?.FeatureNames;
        string NameOf(int j) => names is not null && j < names.Count ? names[j] : $"x{j}";

        var rows = new List<IReadOnlyList<string>>();
        (double Ratio, int Feature, Found? Found) worst = (double.PositiveInfinity, -1, null);
        for (int j = 0; j < features; j++)
        {
            var found = Measure(splits, inputs, targets, features, j, statistics);
            if (found is null) continue;
            if (found.Ratio < worst.Ratio) worst = (found.Ratio, j, found);
            if (found.Ratio < 1)
                rows.Add([NameOf(j), found.Statistic, found.Groups.ToString(), Show.N(found.TrainDistance), Show.N(found.HeldOutDistance), Show.N(found.Ratio)]);
        }
        if (worst.Found is null)
        {
            evidence.Note("Target encoding with held-out rows: no feature has values shared by training and held-out rows, nothing to compare.");
            return ("no table feature repeats values across splits", null);
        }
        evidence.Number("target_encoding_ratio", worst.Ratio);
        evidence.Test(notEncoded, worst.Ratio);
        if (rows.Count > 0)
            evidence.Table("features closer to their per-value mean target with held-out rows than without (distance ratio < 1)",
                ["feature", "target statistic", "values shared", "distance to train-only mean", "distance to mean with held-out rows", "ratio"],
                rows.OrderBy(r => double.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)).Take(10));
        if (worst.Ratio < notEncoded.Threshold)
            evidence.Note($"Feature '{NameOf(worst.Feature)}' equals the {worst.Found.Statistic} of the rows sharing its value computed with " +
                          $"{worst.Found.Sets}: " + string.Join("; ", worst.Found.Examples));
        return ($"feature '{NameOf(worst.Feature)}' is {Show.N(1 / Math.Max(worst.Ratio, 1e-12))}× closer to its per-value mean target with held-out rows than on train alone", worst.Ratio);
    }

    static T[] Copy<T>(TorchSharp.torch.Tensor tensor, TorchSharp.torch.ScalarType type) where T : unmanaged
    {
        using var converted = tensor.to_type(type);
        return TensorCopy.ToArray<T>(converted);
    }

    /// <summary>The target statistics a per-value encoding may hold: the mean (regression), each class's share and the mean class index.</summary>
    static List<(string Name, Func<double, double> Of)> TargetStatistics(Dataset data)
    {
        if (data.Task == TaskKind.Regression) return [("mean target", y => y)];
        var list = new List<(string, Func<double, double>)> { ("mean class index", y => y) };
        for (int k = data.ClassCount == 2 ? 1 : 0; k < data.ClassCount; k++)
        {
            int klass = k;
            list.Add(($"share of class '{data.ClassNames[k]}'", y => (int)y == klass ? 1 : 0));
        }
        return list;
    }

    sealed record Found(string Statistic, string Sets, int Groups, double TrainDistance, double HeldOutDistance, double Ratio, List<string> Examples);

    /// <summary>
    /// For the values of feature j held by both training and held-out rows: the mean |value − group mean target| with the group
    /// mean over train alone, and over train with validation, test or both (the closest); the statistic that fits best.
    /// </summary>
    static Found? Measure(DataSplit[] splits, float[][] inputs, double[][] targets, int features, int j, List<(string Name, Func<double, double> Of)> statistics)
    {
        int c = statistics.Count;
        // Per value: rows and target sums per split and statistic.
        var groups = new Dictionary<float, (int[] Count, double[] Sum)>();
        for (int s = 0; s < splits.Length; s++)
            for (int i = 0; i < splits[s].Count; i++)
            {
                float v = inputs[s][i * features + j];
                if (float.IsNaN(v)) continue;
                if (!groups.TryGetValue(v, out var g)) groups[v] = g = (new int[3], new double[3 * c]);
                g.Count[s]++;
                for (int k = 0; k < c; k++) g.Sum[s * c + k] += statistics[k].Of(targets[s][i]);
            }
        var shared = groups.Where(g => g.Value.Count[0] > 0 && g.Value.Count[1] + g.Value.Count[2] > 0).ToList();
        if (shared.Count == 0) return null;
        (string Name, bool[] Use)[] sets = [("train + validation", [true, true, false]), ("train + test", [true, false, true]), ("all splits", [true, true, true])];
        Found? best = null;
        for (int k = 0; k < c; k++)
            foreach (var (setName, use) in sets)
            {
                double trainDistance = 0, heldOutDistance = 0;
                int weight = 0;
                foreach (var (value, g) in shared)
                {
                    int heldOutRows = g.Count[1] + g.Count[2];
                    double trainMean = g.Sum[k] / g.Count[0];
                    int n = 0;
                    double sum = 0;
                    for (int s = 0; s < 3; s++)
                        if (use[s]) { n += g.Count[s]; sum += g.Sum[s * c + k]; }
                    // Weighted by the held-out rows: they are what a leak would corrupt.
                    trainDistance += heldOutRows * Math.Abs(value - trainMean);
                    heldOutDistance += heldOutRows * Math.Abs(value - sum / n);
                    weight += heldOutRows;
                }
                trainDistance /= weight;
                heldOutDistance /= weight;
                double ratio = trainDistance == 0 ? (heldOutDistance == 0 ? 1 : double.PositiveInfinity) : heldOutDistance / trainDistance;
                if (best is null || ratio < best.Ratio)
                    best = new Found(statistics[k].Name, setName, shared.Count, trainDistance, heldOutDistance, ratio, []);
            }
        foreach (var (value, g) in shared.Where(g => g.Value.Count[1] + g.Value.Count[2] > 0).Take(Shown))
        {
            int s = g.Count[1] > 0 ? 1 : 2;
            int index = FirstIndex(inputs[s], features, j, value);
            best!.Examples.Add($"{splits[s].Name}#{index} value {Show.N(value)} ({g.Count[0]} train, {g.Count[1]} validation, {g.Count[2]} test rows with it)");
        }
        return best;
    }

    static int FirstIndex(float[] inputs, int features, int j, float value)
    {
        for (int i = 0; i * features + j < inputs.Length; i++)
            if (inputs[i * features + j] == value) return i;
        return -1;
    }
}
