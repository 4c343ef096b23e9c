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
    public IReadOnlyList<Condition> Conditions => [CopiesWithinChance];

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
        string worstPair = "";
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
            string pair = $"{held.Name} in {refSplit.Name}";
            evidence.Number($"{held.Name}_in_{refSplit.Name}_copies", withCopy.Length)
                .Number($"{held.Name}_in_{refSplit.Name}_chance_ceiling", ceiling);
            rows.Add([held.Name, refSplit.Name, held.Count.ToString(), withCopy.Length.ToString(), Show.N(withCopy.Length / (double)held.Count),
                Show.N(chanceRate), ceiling.ToString()]);
            if (ratio > worst || worstPair == "") (worst, worstPair) = (ratio, pair);
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
        return CheckOutcome.FromConditions(evidence,
            $"{worstPair}: {Show.N(worst)}× the copies chance explains; {string.Join(", ", rows.Select(r => $"{r[0]} in {r[1]} {r[3]}/{r[2]}"))}",
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
}
