namespace Recipe.Checks.Splits;

/// <summary>How often a random half of the training split finds a copy in the other half: the copies this data has anyway.</summary>
public sealed record CopyControl(int HeldOut, int WithCopy, int Reference);

/// <summary>One held-out split against an earlier one: its examples with a copy there, and the most chance explains.</summary>
public sealed record SplitPairCopies(
    string HeldOut, string Reference, int Examples, IReadOnlyList<(int Index, int PartnerIndex)> WithCopy, double ChanceRate, int Ceiling)
{
    /// <summary>Copies ÷ the most chance explains (at least 1 in the denominator): above 1 the splits are not disjoint.</summary>
    public double Ratio => WithCopy.Count / (double)Math.Max(1, Ceiling);
}

/// <summary>
/// Counts held-out examples that have a copy (under a <see cref="CopyRelation"/>) in an earlier split, and judges each
/// count against chance measured on the same data: the within-train copy rate (a seeded random half against the other
/// half), scaled to the size of the split searched, read as the mean of a Poisson count. Clean public data has natural
/// copies (iris repeats rows; Fashion-MNIST holds near-identical photographs; a word list holds "Bill" and "bill"), and
/// the control carries exactly those; a provider that puts held-out examples into an earlier split adds what it cannot.
/// </summary>
public static class CrossSplitCopies
{
    /// <summary>
    /// A count is implausible when a Poisson count with the chance rate's mean exceeds it less often than this: the pairs
    /// are few (three per relation), so one in a thousand keeps false alarms rare on clean data.
    /// </summary>
    public const double ImplausibleTail = 1e-3;

    /// <summary>
    /// The control's copy rate is known only up to its sample: add this many copies before taking the rate (the "rule of
    /// three": with none seen in k examples the rate is below 3/k with 95 % confidence).
    /// </summary>
    public const double ControlAllowance = 3;

    /// <summary>The pairs compared: validation and test against train, test against validation (split numbers).</summary>
    public static readonly (int HeldOut, int Reference)[] Pairs = [(1, 0), (2, 0), (2, 1)];

    public static (CopyControl Control, List<SplitPairCopies> Pairs) Measure(CopyRelation relation, IReadOnlyList<Data.DataSplit> splits, long seed)
    {
        var control = Control(relation, splits[0].Count, seed);
        var result = new List<SplitPairCopies>();
        foreach (var (heldOut, reference) in Pairs)
        {
            var held = splits[heldOut];
            var refSplit = splits[reference];
            if (held.Count == 0 || refSplit.Count == 0) continue;
            var partners = relation.Partners(Enumerable.Range(0, held.Count).Select(i => relation.Global(heldOut, i)),
                Enumerable.Range(0, refSplit.Count).Select(i => relation.Global(reference, i)));
            result.Add(Judge(control, held.Name, refSplit.Name, held.Count, refSplit.Count,
                partners.Select(p => (relation.Locate(p.HeldOut).Index, relation.Locate(p.Partner).Index)).ToList()));
        }
        return (control, result);
    }

    /// <summary>The control's copy rate, with <see cref="ControlAllowance"/> added for what its sample may have missed.</summary>
    public static double ControlRate(int withCopy, int examples) => Math.Min(1, (withCopy + ControlAllowance) / Math.Max(1, examples));

    /// <summary>
    /// One held-out split's copies (<paramref name="examples"/> searched, all or a sample) against chance: the control
    /// rate, scaled from the control's reference size to this reference's, read as the mean of a Poisson count.
    /// </summary>
    public static SplitPairCopies Judge(CopyControl control, string heldOut, string reference, int examples, int referenceCount,
        List<(int Index, int PartnerIndex)> withCopy)
    {
        double controlRate = ControlRate(control.WithCopy, control.HeldOut);
        double chanceRate = 1 - Math.Pow(1 - controlRate, referenceCount / (double)Math.Max(1, control.Reference));
        int ceiling = PoissonCeiling(examples * chanceRate, ImplausibleTail);
        return new SplitPairCopies(heldOut, reference, examples, withCopy, chanceRate, ceiling);
    }

    /// <summary>A random half of train (seeded) against the other half.</summary>
    static CopyControl Control(CopyRelation relation, int trainCount, long seed)
    {
        var order = Enumerable.Range(0, trainCount).ToArray();
        new Random(unchecked((int)seed)).Shuffle(order);
        int half = trainCount / 2;
        int withCopy = relation.Partners(order.Take(half).Select(i => relation.Global(0, i)), order.Skip(half).Select(i => relation.Global(0, i))).Count;
        return new CopyControl(half, withCopy, trainCount - half);
    }

    /// <summary>The largest count a Poisson variable with this mean exceeds with probability at least <paramref name="tail"/>.</summary>
    public static int PoissonCeiling(double mean, double tail)
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
}
