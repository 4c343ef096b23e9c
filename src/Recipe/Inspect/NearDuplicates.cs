using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>
/// Two images (global numbers, A &lt; B) that are near duplicates, and how they line up: A's work pixel
/// (y + Dy, x + Dx) matches B's pixel (y, x), i.e. B is A moved by (−Dy, −Dx).
/// </summary>
public sealed record NearDuplicatePair(int A, int B, double Distance, int Dy, int Dx);

/// <summary>What the near-duplicate search found and how much work it did (the method is reported with it).</summary>
/// <param name="Indexed">Images that took part (blank images and all but one copy of exact duplicates do not).</param>
/// <param name="Candidates">Pairs whose descriptors were within <see cref="NearDuplicateOptions.DescriptorThreshold"/>.</param>
/// <param name="Compared">Descriptor comparisons made (a brute-force search would make Indexed² × shifts / 2).</param>
public sealed record NearDuplicateSearch(IReadOnlyList<NearDuplicatePair> Pairs, int Indexed, long Candidates, long Compared, int Leaves, NearDuplicateOptions Options, TimeSpan Elapsed)
{
    /// <summary>How the threshold (<see cref="NearDuplicateOptions.Threshold"/> of <see cref="Options"/>) was measured; null: the ceiling, unmeasured.</summary>
    public LookAlikeFit? Control { get; init; }

    /// <summary>The most a near duplicate's distance can be, whatever the control says.</summary>
    public double Ceiling { get; init; } = Options.Threshold;

    /// <summary>Seconds spent in each step (descriptors, index, route, scan, verify).</summary>
    public IReadOnlyDictionary<string, double> Seconds { get; init; } = new Dictionary<string, double>();

    public string Method =>
        $"Each image's background (border median) is removed; it is resampled to {Options.WorkSize}×{Options.WorkSize}, blurred (σ = {Options.BlurSigma} px) " +
        $"and divided by its standard deviation, so brightness and contrast changes vanish. Descriptor: the means of {Options.CellSize}×{Options.CellSize} cells " +
        $"of the central window, taken at every shift up to ±{Options.MaxShift} px (shifted copies line up exactly). Index: two-level k-means inverted file " +
        $"({Leaves} leaves of about {Options.LeafSize} images); each shifted descriptor is compared only with the images of its {Options.LeafProbes} nearest leaves " +
        $"in its {Options.TopProbes} nearest top clusters. Pairs within descriptor RMS {Options.DescriptorThreshold} are verified on the full images: " +
        $"a near duplicate has an RMS difference of at most {Options.Threshold} (in standard deviations) at the best shift, and of at most " +
        $"{Options.DistinctRatio} times the distance from either image to its {Options.CrowdNeighbours}th nearest other candidate (a copy stands out from look-alikes). " +
        (Control is { Exponent: { } m } fit
            ? $"The threshold {Options.Threshold:G3} is measured on this data: the look-alike pairs between {Ceiling / 2:G2} and {Ceiling:G2} ({fit.PairsFitted}) grow as distance^{m:F1}; " +
              $"extrapolated down, that continuum expects one pair at {Options.Threshold:G3} (at most {Ceiling:G2}), and pairs closer than that are reported."
            : $"Too few look-alike pairs between {Ceiling / 2:G2} and {Ceiling:G2} ({Control?.PairsFitted ?? 0}) to measure a threshold on this data: the ceiling {Ceiling:G2} is used.");
}

/// <summary>
/// Near duplicates: the same picture up to small noise, a pixel or two of shift, or a change of
/// brightness. Subquadratic: candidates come from an <see cref="InvertedIndex"/> over
/// <see cref="ShiftedDescriptors"/>, and each candidate is verified with a real distance on the images.
/// </summary>
public static class NearDuplicates
{
    const int Batch = 4096;

    /// <param name="include">Which images take part (e.g. one per exact-duplicate group).</param>
    public static NearDuplicateSearch Find(ImageFingerprints fingerprints, bool[] include, NearDuplicateOptions options)
    {
        var clock = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        void Lap(string step) { seconds[step] = clock.Elapsed.TotalSeconds - seconds.Values.Sum(); }
        var members = Enumerable.Range(0, fingerprints.Count).Where(i => include[i] && fingerprints.Valid[i]).ToArray();
        if (members.Length < 2) return new NearDuplicateSearch([], members.Length, 0, 0, 0, options, clock.Elapsed);

        var descriptors = ShiftedDescriptors.Compute(fingerprints.Normalized, options).Subset(members);
        int shifts = descriptors.Shifts.Length, dimension = descriptors.Dimension;
        using var all = tensor(descriptors.Values).view(members.Length * shifts, dimension);
        using var own = all.view(members.Length, shifts, dimension).select(1, 0).contiguous();
        Lap("descriptors");
        using var index = InvertedIndex.Build(own, options.LeafSize, options.Seed);
        Lap("index");
        var routes = index.Route(all, options.TopProbes, options.LeafProbes);
        Lap("route");
        var (candidates, compared) = Scan(descriptors, index, routes, options);
        Lap("scan");
        var list = candidates.Select(c => (A: members[c.Key.A], B: members[c.Key.B], c.Value.Dy, c.Value.Dx)).ToArray();
        var distances = Distances(fingerprints.Normalized, list, options.MaxShift, settled: options.Threshold / 2);
        var verified = list.Select((c, i) => new NearDuplicatePair(c.A, c.B, distances[i].Distance, distances[i].Dy, distances[i].Dx)).ToList();
        var distinct = DistinctivePairs.Keep(verified, options);
        // the reported threshold is measured on this data's own look-alikes; options.Threshold is only its ceiling
        var control = LookAlikeControl.Measure(distinct.Select(p => p.Distance).ToList(), options.Threshold);
        var pairs = distinct.Where(p => p.Distance <= control.Threshold).OrderBy(p => p.A).ThenBy(p => p.B).ToList();
        Lap("verify");
        return new NearDuplicateSearch(pairs, members.Length, list.Length, compared, index.LeafCount, options with { Threshold = control.Threshold }, clock.Elapsed)
        {
            Seconds = seconds, Control = control, Ceiling = options.Threshold,
        };
    }

    /// <summary>
    /// Compares every routed (image, shift) descriptor with the images of its leaves; keeps, per pair,
    /// the best shift whose descriptor distance is within the threshold. Leaves run in parallel.
    /// </summary>
    static (Dictionary<(int A, int B), (float Distance, int Dy, int Dx)> Candidates, long Compared) Scan(
        ShiftedDescriptors descriptors, InvertedIndex index, int[] routes, NearDuplicateOptions options)
    {
        int shifts = descriptors.Shifts.Length, dimension = descriptors.Dimension, probes = options.LeafProbes;
        // Queries by leaf (counting sort of the routes).
        var start = new int[index.LeafCount + 1];
        foreach (var leaf in routes) if (leaf >= 0) start[leaf + 1]++;
        for (int l = 0; l < index.LeafCount; l++) start[l + 1] += start[l];
        var queries = new int[start[^1]];
        var fill = (int[])start.Clone();
        for (int r = 0; r < routes.Length; r++) if (routes[r] >= 0) queries[fill[routes[r]]++] = r / probes;

        var norms = new float[descriptors.Count * shifts];
        for (int q = 0; q < norms.Length; q++) norms[q] = MathF.Sqrt(SquaredDistance(descriptors.Values.AsSpan(q * dimension, dimension), new float[dimension]));
        float limit = (float)(options.DescriptorThreshold * Math.Sqrt(dimension));   // RMS threshold → Euclidean
        var found = new ConcurrentBag<((int, int), (float, int, int))>();
        long compared = 0;
        Parallel.For(0, index.LeafCount, () => 0L, (leaf, _, count) =>
        {
            // The leaf's own descriptors, copied side by side so the inner loop reads from cache.
            var inLeaf = index.Members(leaf);
            var block = new float[inLeaf.Length * dimension];
            var blockNorms = new float[inLeaf.Length];
            for (int m = 0; m < inLeaf.Length; m++)
            {
                descriptors.Of(inLeaf[m], 0).CopyTo(block.AsSpan(m * dimension, dimension));
                blockNorms[m] = norms[inLeaf[m] * shifts];
            }
            for (int k = start[leaf]; k < start[leaf + 1]; k++)
            {
                int query = queries[k], image = query / shifts, shift = query % shifts;
                var q = descriptors.Values.AsSpan(query * dimension, dimension);
                float norm = norms[query];
                for (int m = 0; m < inLeaf.Length; m++)
                {
                    if (Math.Abs(norm - blockNorms[m]) > limit) continue;   // triangle inequality: cannot be within the limit
                    count++;
                    float squared = SquaredDistance(q, block.AsSpan(m * dimension, dimension), limit * limit);
                    if (squared > limit * limit || inLeaf[m] == image) continue;
                    // image shifted by (dy, dx) matches member: keep the pair in ascending order with the shift of its first image.
                    int member = inLeaf[m];
                    float distance = MathF.Sqrt(squared / dimension);
                    var (dy, dx) = descriptors.Shifts[shift];
                    found.Add(image < member ? ((image, member), (distance, dy, dx)) : ((member, image), (distance, -dy, -dx)));
                }
            }
            return count;
        }, count => Interlocked.Add(ref compared, count));

        var best = new Dictionary<(int A, int B), (float Distance, int Dy, int Dx)>();
        foreach (var (pair, match) in found)
            if (!best.TryGetValue(pair, out var seen) || match.Item1 < seen.Distance) best[pair] = match;
        return (best, compared);
    }

    /// <summary>
    /// The verified distance of each pair: RMS difference of the normalized images over the central
    /// window, B against A shifted by the candidate's shift. The descriptor's shift is exact for whole-pixel
    /// shifts, so the 8 neighbouring shifts are tried only for pairs that this does not already settle
    /// (distance above <paramref name="settled"/>); the best is kept.
    /// </summary>
    public static (double Distance, int Dy, int Dx)[] Distances(Tensor normalized, (int A, int B, int Dy, int Dx)[] pairs, int maxShift, double settled = 0)
    {
        var result = new (double Distance, int Dy, int Dx)[pairs.Length];
        Array.Fill(result, (double.PositiveInfinity, 0, 0));
        int margin = maxShift + 1;
        long inner = normalized.shape[1] - 2 * margin;
        var neighbours = (from ey in new[] { -1, 0, 1 } from ex in new[] { -1, 0, 1 } where ey != 0 || ex != 0 select (ey, ex)).ToArray();
        Compare(Enumerable.Range(0, pairs.Length).ToArray(), [(0, 0)]);
        Compare(Enumerable.Range(0, pairs.Length).Where(i => result[i].Distance > settled).ToArray(), neighbours);
        return result;

        void Compare(int[] which, (int Ey, int Ex)[] offsets)
        {
            foreach (var group in which.GroupBy(i => (pairs[i].Dy, pairs[i].Dx)))
            {
                var members = group.ToArray();
                for (int from = 0; from < members.Length; from += Batch)
                {
                    var batch = members.Skip(from).Take(Batch).ToArray();
                    using var scope = NewDisposeScope();
                    var a = normalized.index_select(0, tensor(batch.Select(i => (long)pairs[i].A).ToArray()));
                    var b = normalized.index_select(0, tensor(batch.Select(i => (long)pairs[i].B).ToArray()));
                    var window = b.narrow(1, margin, inner).narrow(2, margin, inner);
                    foreach (var (ey, ex) in offsets)
                    {
                        int dy = group.Key.Dy + ey, dx = group.Key.Dx + ex;
                        if (Math.Abs(dy) > margin || Math.Abs(dx) > margin) continue;
                        var moved = a.narrow(1, margin + dy, inner).narrow(2, margin + dx, inner);
                        var rms = TensorCopy.ToArray<float>((moved - window).square().mean([1, 2]).sqrt());
                        for (int j = 0; j < batch.Length; j++)
                            if (rms[j] < result[batch[j]].Distance) result[batch[j]] = (rms[j], dy, dx);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Squared Euclidean distance with 8-wide SIMD (the scan's inner loop, and split-integrity's look-ups). Stops after the
    /// first half once it already exceeds <paramref name="limit"/>: most pairs in a leaf are far apart.
    /// </summary>
    internal static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float limit = float.PositiveInfinity)
    {
        ref float left = ref MemoryMarshal.GetReference(a);
        ref float right = ref MemoryMarshal.GetReference(b);
        var sum = Vector256<float>.Zero;
        int i = 0, half = a.Length / 2;
        for (; i <= a.Length - 8; i += 8)
        {
            var d = Vector256.LoadUnsafe(ref left, (nuint)i) - Vector256.LoadUnsafe(ref right, (nuint)i);
            sum += d * d;
            if (i < half && i + 8 >= half && Vector256.Sum(sum) > limit) return Vector256.Sum(sum);
        }
        float total = Vector256.Sum(sum);
        for (; i < a.Length; i++) { float d = a[i] - b[i]; total += d * d; }
        return total;
    }
}
