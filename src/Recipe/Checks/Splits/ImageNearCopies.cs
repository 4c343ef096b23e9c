using System.Diagnostics;
using Recipe.Data;
using Recipe.Inspect;
using static TorchSharp.torch;

namespace Recipe.Checks.Splits;

/// <summary>What the sampled near-copy measurement found: the control, each split pair against chance, and its cost.</summary>
public sealed record ImageNearCopyMeasurement(CopyControl Control, List<SplitPairCopies> Pairs, int Sample, double Resolution, TimeSpan Elapsed)
{
    /// <summary>Seconds spent in each step (fingerprints, index, control, held_out).</summary>
    public IReadOnlyDictionary<string, double> Seconds { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Near copies of held-out images in an earlier split (a one-pixel shift, a brightness change or pixel noise does not
/// hide a copy: stage 1's fingerprints, descriptors and verification, <see cref="NearDuplicates"/>), measured on seeded
/// samples rather than by a search over every image: the statistic is a rate (held-out images with a near copy),
/// judged against the same rate on training images (each against the rest of train), and a rate needs a sample whose
/// size its own precision sets. Both samples grow together, doubling, until the count test resolves a leak of
/// <see cref="DetectableLeak"/> of a held-out split above the control's rate (or the whole split is in the sample). Only
/// the reference splits are indexed in full: a held-out image's copy may be any of them.
/// </summary>
public static class ImageNearCopies
{
    const int Chunk = 2048;

    /// <summary>First sample size per split (queries), doubled while the test cannot resolve <see cref="DetectableLeak"/>.</summary>
    public const int FirstSample = 1024;

    /// <summary>
    /// The smallest share of a held-out split copied into an earlier split that the count test must tell from chance: the
    /// sample grows until (ceiling + 1) ÷ sample − chance rate is at most this. One in a hundred: a leak that moves a
    /// held-out metric by about its own sampling error on a few thousand examples.
    /// </summary>
    public const double DetectableLeak = 0.01;

    /// <summary>Images are (N, C, H, W), stored as bytes or, in a provider's own dataset, as floats on any scale.</summary>
    public static bool Applies(Dataset data) => data.Train.Inputs.dim() == 4;

    /// <param name="known">Fingerprints of these splits' images already computed (stage 1's, in `recipe run`): used, and disposed, instead of new ones.</param>
    public static ImageNearCopyMeasurement Measure(IReadOnlyList<DataSplit> splits, CopyRelation exact, long seed, NearDuplicateOptions options,
        ImageFingerprints? known = null)
    {
        var clock = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        void Lap(string step) => seconds[step] = clock.Elapsed.TotalSeconds - seconds.Values.Sum();
        using var fingerprints = known ?? Fingerprints(splits, exact, options);
        if (fingerprints.Count != exact.Count) throw new ArgumentException($"fingerprints of {fingerprints.Count} images for {exact.Count} examples");
        var normalized = fingerprints.Normalized;
        var random = new Random(unchecked((int)seed));
        // Each split's images in a seeded order: a sample of n is the first n (growing it keeps what was measured).
        var order = splits.Select((s, n) => Shuffled(Enumerable.Range(0, s.Count).Select(i => exact.Global(n, i)).Where(g => fingerprints.Valid[g]).ToArray(), random)).ToArray();
        bool SameImage(int query, int reference) => query == reference || (exact.GroupOf(query) >= 0 && exact.GroupOf(query) == exact.GroupOf(reference));

        Lap("fingerprints");
        using var train = ImageCopyIndex.Build(normalized, Representatives(order[0], exact), options);
        Lap("index");
        // Control: training images against the rest of train (themselves and their exact copies left out).
        var control = new List<int>();
        int sample = 0;
        double resolution;
        while (true)
        {
            sample = Math.Min(sample == 0 ? FirstSample : 2 * sample, order[0].Length);
            var more = order[0][control.Count..sample];
            control.AddRange(train.NearestCopies(more, SameImage));
            resolution = Resolution(control.Count(p => p >= 0), control.Count);
            if (resolution <= DetectableLeak || sample >= order[0].Length) break;
        }
        Lap("control");
        var copyControl = new CopyControl(control.Count, control.Count(p => p >= 0), Math.Max(1, splits[0].Count - 1));

        var pairs = new List<SplitPairCopies>();
        ImageCopyIndex? validation = null;
        try
        {
            foreach (var (heldOut, referenceSplit) in CrossSplitCopies.Pairs)
            {
                if (splits[heldOut].Count == 0 || splits[referenceSplit].Count == 0) continue;
                var index = referenceSplit == 0 ? train : validation ??= ImageCopyIndex.Build(normalized, Representatives(order[1], exact), options);
                var queries = order[heldOut][..Math.Min(sample, order[heldOut].Length)];
                var partners = index.NearestCopies(queries, SameImage);
                var withCopy = queries.Zip(partners).Where(p => p.Second >= 0).Select(p => (exact.Locate(p.First).Index, exact.Locate(p.Second).Index)).OrderBy(p => p.Item1).ToList();
                pairs.Add(CrossSplitCopies.Judge(copyControl, splits[heldOut].Name, splits[referenceSplit].Name, queries.Length, splits[referenceSplit].Count, withCopy));
            }
        }
        finally { validation?.Dispose(); }
        Lap("held_out");
        return new ImageNearCopyMeasurement(copyControl, pairs, sample, resolution, clock.Elapsed) { Seconds = seconds };
    }

    /// <summary>The leak share the count test resolves with this control: (ceiling + 1) ÷ n − chance rate, for n held-out examples.</summary>
    public static double Resolution(int withCopy, int examples)
    {
        if (examples == 0) return double.PositiveInfinity;
        double rate = CrossSplitCopies.ControlRate(withCopy, examples);
        return (CrossSplitCopies.PoissonCeiling(examples * rate, CrossSplitCopies.ImplausibleTail) + 1) / (double)examples - rate;
    }

    /// <summary>One image per exact-copy group (the others would crowd its near copies out), in the order given.</summary>
    static int[] Representatives(int[] images, CopyRelation exact)
    {
        var seen = new HashSet<int>();
        return images.Where(g => exact.GroupOf(g) < 0 || seen.Add(exact.GroupOf(g))).ToArray();
    }

    static int[] Shuffled(int[] items, Random random)
    {
        random.Shuffle(items);
        return items;
    }

    /// <summary>Stage 1's fingerprints of every image, by global number.</summary>
    static ImageFingerprints Fingerprints(IReadOnlyList<DataSplit> splits, CopyRelation exact, NearDuplicateOptions options)
    {
        var shape = splits.First(s => s.Count > 0).Inputs.shape;
        // Fingerprints expect the 0..255 scale (their blank-image floor is in those units): floats are stretched to it.
        double scale = 1;
        if (splits[0].Inputs.is_floating_point())
        {
            double low = splits.Where(s => s.Count > 0).Min(s => s.Inputs.min().item<float>());
            double high = splits.Where(s => s.Count > 0).Max(s => s.Inputs.max().item<float>());
            scale = high > low ? 255 / (high - low) : 1;
        }
        var fingerprints = ImageFingerprints.Empty(exact.Count, shape[2], shape[3], options);
        for (int s = 0; s < splits.Count; s++)
            for (long start = 0; start < splits[s].Count; start += Chunk)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(Chunk, splits[s].Count - start);
                var gray = splits[s].Inputs.narrow(0, start, length).to_type(float32).mean([1]) * scale;   // (N, H, W)
                fingerprints.Add(exact.Global(s, (int)start), gray);
            }
        return fingerprints;
    }
}
