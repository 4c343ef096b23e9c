using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Split integrity of the data the pipeline actually uses (<see cref="CheckContext.Data"/>, which a user's provider
/// may have built itself): held-out examples whose stored inputs also appear in an earlier split. Clean public data
/// has natural copies (iris has identical rows in train and test), so the bar is a control from the same data: how
/// often a random half of the training split finds a copy in the other half, i.e. what chance predicts given how
/// many duplicates this data has anyway. A provider that appends the validation rows to the training split gives a
/// copy rate near 100 %; one that copies 5 % of test into validation gives 5 % where chance predicts about 0.
/// </summary>
public sealed class SplitIntegrity : ICheck
{
    /// <summary>
    /// A cross-split copy count is implausible when a Poisson count with the chance rate's mean exceeds it less
    /// often than this: the pairs are few (three), so one in a thousand keeps false alarms rare on clean data.
    /// </summary>
    const double ImplausibleTail = 1e-3;

    /// <summary>
    /// The control's copy rate is known only up to its sample: add this many copies before taking the rate (the
    /// "rule of three": with none seen in k examples the rate is below 3/k with 95 % confidence).
    /// </summary>
    const double ControlAllowance = 3;

    /// <summary>Copies shown in the evidence.</summary>
    const int ShownCopies = 12;

    public static readonly Condition CopiesWithinChance =
        Condition.AtMost("held-out examples with a copy in an earlier split ÷ the most chance explains (control: copies within train)", 1);

    public string Id => "split-integrity";
    public int Stage => 2;
    public string Hypothesis =>
        "The validation and test examples the pipeline uses do not reappear in its training split (or test in validation) more often than copies within the training split predict.";
    public bool Blocking => true;
    /// <summary>
    /// A table feature sits this many times closer to the per-value mean target computed with held-out rows than to
    /// the one computed on train alone: it was computed from the held-out answers (a target encoding over all splits).
    /// The control is the train-only mean itself: an encoding fitted on train sits at distance 0 from it, an honest
    /// feature is about as far from both; 10× (an order of magnitude) separates the three.
    /// </summary>
    public static readonly Condition NotEncodedWithHeldOutTargets =
        Condition.AtLeast("a feature's distance to its per-value mean target computed with held-out rows ÷ computed on train alone (closest feature)", 0.1);

    public IReadOnlyList<Condition> Conditions => [CopiesWithinChance, NotEncodedWithHeldOutTargets];

    public CheckOutcome Run(CheckContext context)
    {
        var data = context.Data;
        var evidence = new Evidence();
        Describe(data, evidence);
        if (data.Train.Count < 2 || data.Validation.Count + data.Test.Count == 0)
            return CheckOutcome.Skipped($"nothing to compare: {data.Train.Count} training and {data.Validation.Count + data.Test.Count} held-out examples");

        var splits = data.Splits.ToArray();
        var copies = CopyGroups(splits);
        var control = Control(splits[0].Count, copies.GroupOf, context.Seed);
        evidence.Number("control_held_out", control.HeldOut).Number("control_with_copy", control.WithCopy)
            .Number("control_reference", control.Reference);

        var rows = new List<IReadOnlyList<string>>();
        var shown = new List<string>();
        double worst = 0;
        foreach (var (heldOut, reference) in new[] { (1, 0), (2, 0), (2, 1) })
        {
            var held = splits[heldOut];
            var refSplit = splits[reference];
            if (held.Count == 0 || refSplit.Count == 0) continue;
            var withCopy = Enumerable.Range(0, held.Count).Where(i => copies.HasMemberIn(heldOut, i, reference)).ToArray();
            // Chance for this pair: the control rate, scaled from the control's reference size to this one's.
            double controlRate = (control.WithCopy + ControlAllowance) / Math.Max(1, control.HeldOut);
            double chanceRate = 1 - Math.Pow(1 - Math.Min(1, controlRate), refSplit.Count / (double)Math.Max(1, control.Reference));
            int ceiling = PoissonCeiling(held.Count * chanceRate, ImplausibleTail);
            double ratio = withCopy.Length / (double)Math.Max(1, ceiling);
            evidence.Number($"{held.Name}_in_{refSplit.Name}_copies", withCopy.Length)
                .Number($"{held.Name}_in_{refSplit.Name}_chance_ceiling", ceiling);
            rows.Add([held.Name, refSplit.Name, held.Count.ToString(), withCopy.Length.ToString(), Show.N(withCopy.Length / (double)held.Count),
                Show.N(chanceRate), ceiling.ToString()]);
            worst = Math.Max(worst, ratio);
            foreach (var i in withCopy.Take(Math.Max(0, ShownCopies - shown.Count)))
                shown.Add($"{held.Name}#{i} ({held.OriginOf(i)}) = {refSplit.Name}#{copies.FirstIn(heldOut, i, reference)} " +
                          $"({refSplit.OriginOf(copies.FirstIn(heldOut, i, reference))})");
        }
        evidence.Table("held-out examples whose stored input also appears in an earlier split, against chance",
            ["held-out split", "found in", "examples", "with a copy", "copy rate", "chance rate", "most chance explains (count)"], rows);
        evidence.Note($"Control: {control.WithCopy} of {control.HeldOut} examples of a random half of the training split have a copy " +
                      $"in the other {control.Reference} (copies the data has anyway); chance rates scale that to each pair.");
        if (shown.Count > 0) evidence.Note("Copies (split#index, origin): " + string.Join("; ", shown));
        evidence.Number("worst_copy_ratio", worst);
        evidence.Test(CopiesWithinChance, worst);
        string finding = "held-out examples with a copy in an earlier split (most chance explains): " +
                         string.Join(", ", rows.Select(r => $"{r[0]} in {r[1]} {r[3]}/{r[2]} ({r[6]})"));
        if (HeldOutTargetEncoding.Applies(data))
            finding += "; " + HeldOutTargetEncoding.Test(data, evidence);
        return CheckOutcome.FromConditions(evidence, finding,
            "A feature computed from held-out targets (a per-category mean target over all splits) hands each validation and test row " +
            "its own answer: fit such encodings on the training rows only (out-of-fold within train). " +
            "Held-out examples that also sit in an earlier split are scored on what the model was trained (or tuned) on: every validation " +
            "and test metric reported for this pipeline (accuracy, loss, the baselines' comparisons, early stopping) is optimistic and " +
            "cannot be trusted until the splits are disjoint. Build the splits once, from distinct examples (deduplicate before splitting, " +
            "split by source/group when near copies are natural), and never append validation or test rows to the training split.");
    }

    /// <summary>What the checks ran on, as the provider built it (not the --data passed alongside).</summary>
    static void Describe(Dataset data, Evidence evidence)
    {
        foreach (var split in data.Splits) evidence.Number($"{split.Name}_examples", split.Count);
        evidence.Note($"Dataset checked: '{data.Name}' ({data.Format}, {data.Task}) from {data.Source}; one input is " +
                      $"({string.Join(", ", data.ExampleShape)}); splits as the pipeline built them: " +
                      string.Join(", ", data.Splits.Select(s => $"{s.Name} {s.Count} (inputs {string.Join("×", s.Inputs.shape)})")) + ".");
    }

    /// <summary>Exact copies across all splits, found once over the examples of every split numbered in turn.</summary>
    static CopyIndex CopyGroups(DataSplit[] splits)
    {
        var bytes = splits.Select(s => TensorCopy.ToArray<byte>(s.Inputs)).ToArray();
        var size = splits.Select((s, n) => s.Count == 0 ? 0 : bytes[n].Length / s.Count).ToArray();
        var offsets = new int[splits.Length + 1];
        for (int s = 0; s < splits.Length; s++) offsets[s + 1] = offsets[s] + splits[s].Count;
        (int Split, int Index) Locate(int global)
        {
            int s = 0;
            while (global >= offsets[s + 1]) s++;
            return (s, global - offsets[s]);
        }
        var groups = ExactDuplicates.Find(offsets[^1], g =>
        {
            var (s, i) = Locate(g);
            return bytes[s].AsSpan(i * size[s], size[s]);
        });
        var groupOf = new int[offsets[^1]];
        Array.Fill(groupOf, -1);
        var members = new List<(int Split, int Index)[]>();
        foreach (var group in groups)
        {
            foreach (var g in group) groupOf[g] = members.Count;
            members.Add(group.Select(Locate).ToArray());
        }
        return new CopyIndex(offsets, groupOf, members);
    }

    /// <summary>A random half of train (seeded) against the other half: how often an example finds a copy by chance.</summary>
    static (int HeldOut, int WithCopy, int Reference) Control(int trainCount, Func<int, int, int> groupOf, long seed)
    {
        var order = Enumerable.Range(0, trainCount).ToArray();
        new Random(unchecked((int)seed)).Shuffle(order);
        int half = trainCount / 2;
        var referenceGroups = order.Skip(half).Select(i => groupOf(0, i)).Where(g => g >= 0).ToHashSet();
        int withCopy = order.Take(half).Count(i => groupOf(0, i) is var g && g >= 0 && referenceGroups.Contains(g));
        return (half, withCopy, trainCount - half);
    }

    /// <summary>The largest count a Poisson variable with this mean exceeds with probability at least <paramref name="tail"/>.</summary>
    static int PoissonCeiling(double mean, double tail)
    {
        // Far from zero the Poisson is normal (and e^-mean underflows): 3.09 standard deviations leave 1e-3 above.
        if (mean > 200) return (int)Math.Ceiling(mean + 3.09 * Math.Sqrt(mean));
        double pmf = Math.Exp(-mean), cdf = pmf;
        int k = 0;
        while (1 - cdf >= tail && k < 10_000_000)
        {
            k++;
            pmf *= mean / k;
            cdf += pmf;
        }
        return k;
    }

    /// <summary>Exact-copy groups over the splits' examples, answerable per (split, index).</summary>
    sealed class CopyIndex(int[] offsets, int[] groupOf, List<(int Split, int Index)[]> members)
    {
        public int GroupOf(int split, int index) => groupOf[offsets[split] + index];

        public bool HasMemberIn(int split, int index, int otherSplit) =>
            GroupOf(split, index) is var g && g >= 0 && members[g].Any(m => m.Split == otherSplit);

        public int FirstIn(int split, int index, int otherSplit) => members[GroupOf(split, index)].First(m => m.Split == otherSplit).Index;
    }

    /// <summary>
    /// The mark of a target encoding computed with the held-out rows: each feature value, taken as a group of rows, is
    /// compared with the mean target of its group over train alone and over train plus the held-out splits.
    /// </summary>
    static class HeldOutTargetEncoding
    {
        /// <summary>Examples shown in the evidence.</summary>
        const int Shown = 8;

        public static bool Applies(Dataset data) =>
            data.Task is TaskKind.Classification or TaskKind.Regression && data.Train.Inputs.dim() == 2 && data.Train.Inputs.is_floating_point()
            && data.Train.Targets.dim() == 1;

        /// <summary>Adds the per-feature distances and the condition to the evidence; returns a clause for the finding.</summary>
        public static string Test(Dataset data, Evidence evidence)
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
                return "no table feature repeats values across splits";
            }
            evidence.Number("target_encoding_ratio", worst.Ratio);
            evidence.Test(NotEncodedWithHeldOutTargets, worst.Ratio);
            if (rows.Count > 0)
                evidence.Table("features closer to their per-value mean target with held-out rows than without (distance ratio < 1)",
                    ["feature", "target statistic", "values shared", "distance to train-only mean", "distance to mean with held-out rows", "ratio"],
                    rows.OrderBy(r => double.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)).Take(10));
            if (worst.Ratio < NotEncodedWithHeldOutTargets.Threshold)
                evidence.Note($"Feature '{NameOf(worst.Feature)}' equals the {worst.Found.Statistic} of the rows sharing its value computed with " +
                              $"{worst.Found.Sets}: " + string.Join("; ", worst.Found.Examples));
            return $"feature '{NameOf(worst.Feature)}' is {Show.N(1 / Math.Max(worst.Ratio, 1e-12))}× closer to its per-value mean target with held-out rows than on train alone";
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
}
