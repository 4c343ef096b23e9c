using System.Diagnostics;
using Recipe.Data;
using Recipe.Progress;

namespace Recipe.Inspect;

/// <summary>
/// Stage 1 for images: counts, per-example statistics, exact and near duplicates (within and across
/// splits, with conflicting labels), blank and unreadable images, labels outside the classes, class
/// imbalance and outliers, as findings plus everything the report draws.
/// </summary>
public sealed class ImageAudit
{
    public required Dataset Data { get; init; }
    public required ExampleNumbering Numbering { get; init; }
    /// <summary>Class index of every example, in numbering order.</summary>
    public required long[] Targets { get; init; }
    public required ImageStatistics Statistics { get; init; }
    public required List<int[]> ExactGroups { get; init; }
    public required NearDuplicateSearch NearDuplicates { get; init; }
    /// <summary>Clusters of near duplicates (connected by verified pairs).</summary>
    public required List<int[]> NearGroups { get; init; }
    /// <summary>Examples per [split, class] (splits in numbering order).</summary>
    public required int[,] ClassCounts { get; init; }
    /// <summary>Largest over smallest class count in train (∞ when a class has no training example).</summary>
    public required double ImbalanceRatio { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    /// <summary>Seconds spent in each phase.</summary>
    public required IReadOnlyDictionary<string, double> Seconds { get; init; }

    public static ImageAudit Run(Dataset data, InspectOptions options, IProgressSink? progress = null)
    {
        progress ??= NullProgress.Instance;
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        void Lap(string phase) { seconds[phase] = clock.Elapsed.TotalSeconds; clock.Restart(); }

        var numbering = ExampleNumbering.Of(data);
        var targets = numbering.Splits.SelectMany(s => TensorCopy.ToArray<long>(s.Targets)).ToArray();
        var shape = data.ExampleShape;
        var statistics = ImageStatistics.Empty(numbering.Count);
        var fingerprints = ImageFingerprints.Empty(numbering.Count, shape[1], shape[2], options.NearDuplicates);
        using (var task = progress.Start("statistics and fingerprints", numbering.Count))
            GrayChunks.ForEach(numbering, (start, gray) =>
            {
                statistics.Add(start, gray);
                fingerprints.Add(start, gray);
            }, advance: n => task.Advance(n));
        Lap("statistics_and_fingerprints");

        List<int[]> exact;
        using (progress.Start("exact duplicates", 1))
            exact = FindExact(numbering);
        Lap("exact_duplicates");

        NearDuplicateSearch near;
        using (progress.Start("near duplicates", 1))
        {
            try
            {
                var representative = ExactDuplicates.Representatives(numbering.Count, exact);
                near = Inspect.NearDuplicates.Find(fingerprints, representative.Select((r, i) => r == i).ToArray(), options.NearDuplicates);
            }
            catch
            {
                fingerprints.Dispose();
                throw;
            }
            // In `recipe run`, stage 2's split-integrity needs the same fingerprints: kept for it rather than computed twice.
            if (options.FingerprintHandOff is { } handOff) handOff.Keep(numbering.Splits, options.NearDuplicates, fingerprints);
            else fingerprints.Dispose();
        }
        var nearGroups = UnionFind.Groups(numbering.Count, near.Pairs.Select(p => (p.A, p.B)));
        Lap("near_duplicates");

        var counts = CountClasses(numbering, targets, data.ClassCount);
        var findings = new List<Finding>();
        findings.AddRange(UnreadableFiles.Findings(data));
        findings.AddRange(LabelsOutside(numbering, targets, data.ClassCount));
        findings.AddRange(Blank(numbering, statistics, targets, options));
        findings.AddRange(DuplicateFindings.From(exact, exact: true, numbering, targets));
        findings.AddRange(DuplicateFindings.From(nearGroups, exact: false, numbering, targets, group => NearStatistics(group, near)));
        var (imbalance, ratio) = Imbalance(data, numbering, counts, options);
        findings.AddRange(imbalance);
        findings.AddRange(Shift(data, numbering, counts, options));
        findings.AddRange(Outliers(numbering, statistics, targets, options));
        Lap("findings");

        return new ImageAudit
        {
            Data = data, Numbering = numbering, Targets = targets, Statistics = statistics, ExactGroups = exact,
            NearDuplicates = near, NearGroups = nearGroups, ClassCounts = counts, ImbalanceRatio = ratio,
            Findings = Finding.Ranked(findings), Seconds = seconds,
        };
    }

    static List<int[]> FindExact(ExampleNumbering numbering)
    {
        var bytes = numbering.Splits.Select(s => TensorCopy.ToArray<byte>(s.Inputs)).ToArray();
        int size = numbering.Splits.Select(s => s.Count == 0 ? 0 : (int)(s.Inputs.numel() / s.Count)).Max();
        return ExactDuplicates.Find(numbering.Count, g =>
        {
            var (s, i) = numbering.Locate(g);
            return bytes[s].AsSpan(i * size, size);
        });
    }

    static Dictionary<string, double> NearStatistics(int[] group, NearDuplicateSearch near)
    {
        var members = group.ToHashSet();
        var pairs = near.Pairs.Where(p => members.Contains(p.A) && members.Contains(p.B)).ToList();
        return new Dictionary<string, double>
        {
            ["pairs"] = pairs.Count,
            ["min_distance"] = pairs.Min(p => p.Distance),
            ["max_distance"] = pairs.Max(p => p.Distance),
            ["threshold"] = near.Options.Threshold,
        };
    }

    static int[,] CountClasses(ExampleNumbering numbering, long[] targets, int classes)
    {
        var counts = new int[numbering.Splits.Count, Math.Max(1, classes)];
        for (int g = 0; g < targets.Length; g++)
            if (targets[g] >= 0 && targets[g] < classes) counts[numbering.Locate(g).Split, targets[g]]++;
        return counts;
    }

    static IEnumerable<Finding> LabelsOutside(ExampleNumbering numbering, long[] targets, int classes)
    {
        var outside = Enumerable.Range(0, targets.Length).Where(g => targets[g] < 0 || targets[g] >= classes);
        foreach (var split in outside.GroupBy(numbering.SplitName))
        {
            var examples = split.Select(g => numbering.Ref(g, targets[g])).ToList();
            yield return new Finding(FindingKind.LabelOutsideClasses, split.Key,
                $"{examples.Count} example(s) in {split.Key} with a label outside the {classes} classes: {DuplicateFindings.Names(examples, withLabels: true)}", examples);
        }
    }

    static IEnumerable<Finding> Blank(ExampleNumbering numbering, ImageStatistics statistics, long[] targets, InspectOptions options)
    {
        var min = statistics["min"];
        var max = statistics["max"];
        var blank = Enumerable.Range(0, numbering.Count).Where(g => max[g] - min[g] <= options.BlankRange);
        foreach (var split in blank.GroupBy(numbering.SplitName))
        {
            var examples = split.Select(g => numbering.Ref(g, targets[g])).ToList();
            yield return new Finding(FindingKind.Blank, split.Key,
                $"{examples.Count} blank or constant image(s) in {split.Key} (brightest − darkest pixel ≤ {options.BlankRange}): {DuplicateFindings.Names(examples)}",
                examples, new Dictionary<string, double> { ["blank_range"] = options.BlankRange });
        }
    }

    static (IEnumerable<Finding>, double Ratio) Imbalance(Dataset data, ExampleNumbering numbering, int[,] counts, InspectOptions options)
    {
        int train = numbering.Splits.ToList().FindIndex(s => s.Name == "train");
        if (train < 0 || data.ClassCount < 2) return ([], 1);
        var perClass = Enumerable.Range(0, data.ClassCount).Select(c => counts[train, c]).ToArray();
        double ratio = perClass.Min() == 0 ? double.PositiveInfinity : perClass.Max() / (double)perClass.Min();
        if (ratio < options.ImbalanceRatio) return ([], ratio);
        int largest = Array.IndexOf(perClass, perClass.Max()), smallest = Array.IndexOf(perClass, perClass.Min());
        var finding = new Finding(FindingKind.Imbalance, "train",
            perClass.Min() == 0
                ? $"class '{data.ClassNames[smallest]}' has no training examples"
                : $"classes are imbalanced in train: '{data.ClassNames[largest]}' has {perClass.Max()} examples, '{data.ClassNames[smallest]}' {perClass.Min()} (ratio {ratio:F1} ≥ {options.ImbalanceRatio})",
            [], new Dictionary<string, double> { ["ratio"] = ratio, ["largest"] = perClass.Max(), ["smallest"] = perClass.Min(), ["limit"] = options.ImbalanceRatio });
        return ([finding], ratio);
    }

    static IEnumerable<Finding> Shift(Dataset data, ExampleNumbering numbering, int[,] counts, InspectOptions options)
    {
        int train = numbering.Splits.ToList().FindIndex(s => s.Name == "train");
        if (train < 0 || data.ClassCount < 2) yield break;
        double[] Shares(int s)
        {
            double total = Enumerable.Range(0, data.ClassCount).Sum(c => counts[s, c]);
            return Enumerable.Range(0, data.ClassCount).Select(c => total == 0 ? 0 : counts[s, c] / total).ToArray();
        }
        var reference = Shares(train);
        for (int s = 0; s < numbering.Splits.Count; s++)
        {
            if (s == train || numbering.Splits[s].Count == 0) continue;
            var shares = Shares(s);
            double distance = 0.5 * reference.Zip(shares, (a, b) => Math.Abs(a - b)).Sum();
            if (distance <= options.DistributionShift) continue;
            int worst = Enumerable.Range(0, data.ClassCount).MaxBy(c => Math.Abs(reference[c] - shares[c]));
            var name = numbering.Splits[s].Name;
            yield return new Finding(FindingKind.ClassDistributionShift, $"train+{name}",
                $"class shares differ between train and {name} (total variation {distance:F3} > {options.DistributionShift}); most for '{data.ClassNames[worst]}': {reference[worst]:P1} vs {shares[worst]:P1}",
                [], new Dictionary<string, double> { ["total_variation"] = distance, ["limit"] = options.DistributionShift });
        }
    }

    static IEnumerable<Finding> Outliers(ExampleNumbering numbering, ImageStatistics statistics, long[] targets, InspectOptions options)
    {
        foreach (var (name, meaning, resolution) in ImageStatistics.Definitions)
        {
            var z = RobustOutliers.Scores(statistics[name], targets, resolution);
            var flagged = Enumerable.Range(0, z.Length).Where(g => Math.Abs(z[g]) > options.OutlierZ).OrderByDescending(g => Math.Abs(z[g])).ToList();
            if (flagged.Count == 0) continue;
            var listed = flagged.Take(options.ListedOutliers).Select(g => numbering.Ref(g, targets[g])).ToList();
            int most = flagged[0];
            yield return new Finding(FindingKind.Outlier, numbering.SplitsOf(flagged),
                $"{flagged.Count} image(s) with unusual {name} ({meaning}) for their class (|robust z| > {options.OutlierZ}); most extreme {DuplicateFindings.Name(listed[0])}: {statistics[name][most]:G4} (z = {z[most]:F1})",
                listed, flagged.Count, new Dictionary<string, double> { ["limit"] = options.OutlierZ, ["max_abs_z"] = Math.Abs(z[most]) })
            { Subject = name };
        }
    }
}
