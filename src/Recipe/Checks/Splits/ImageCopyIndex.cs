using Recipe.Inspect;
using static TorchSharp.torch;

namespace Recipe.Checks.Splits;

/// <summary>
/// The images of one reference split, indexed so that a single query image finds its near copy there without a pass
/// over the split: their own descriptors in stage 1's inverted file (<see cref="InvertedIndex"/>); a query's descriptors
/// at every shift are routed to their nearest leaves, candidates within the descriptor threshold are verified on the
/// full images (<see cref="NearDuplicates.Distances"/>), and the nearest is a near copy when it is within the threshold
/// and stands out from the query's other look-alikes in the reference (as stage 1 decides, <see cref="DistinctivePairs"/>).
/// </summary>
public sealed class ImageCopyIndex : IDisposable
{
    readonly Tensor normalized;
    readonly int[] members;          // global numbers of the indexed images
    readonly float[] descriptors;    // (members, D), row-major
    readonly float[] norms;
    readonly int dimension;
    readonly InvertedIndex index;
    readonly NearDuplicateOptions options;

    ImageCopyIndex(Tensor normalized, int[] members, Tensor own, NearDuplicateOptions options)
    {
        this.normalized = normalized;
        this.members = members;
        this.options = options;
        dimension = (int)own.shape[1];
        descriptors = TensorCopy.ToArray<float>(own);
        norms = Enumerable.Range(0, members.Length).Select(m => Norm(descriptors.AsSpan(m * dimension, dimension))).ToArray();
        index = InvertedIndex.Build(own, options.LeafSize, options.Seed);
    }

    public int Count => members.Length;

    /// <param name="normalized">(N, S, S) fingerprints of every image, by global number.</param>
    /// <param name="reference">Global numbers of the reference images (blank ones and all but one of an exact group left out by the caller).</param>
    public static ImageCopyIndex Build(Tensor normalized, int[] reference, NearDuplicateOptions options)
    {
        Tensor own;
        using (NewDisposeScope())
            own = CellDescriptors.Of(normalized.index_select(0, tensor(reference.Select(g => (long)g).ToArray())), [(0, 0)], options)
                .squeeze(1).contiguous().MoveToOuterDisposeScope();
        // Built outside any dispose scope of ours: the index keeps centroids that must outlive this call.
        using (own) return new ImageCopyIndex(normalized, reference, own, options);
    }

    /// <summary>
    /// For each query (global number), its near copy among the reference images (global number), or −1. A reference
    /// image for which <paramref name="excluded"/>(query, reference) holds (the query itself, its exact copies) is never
    /// a partner nor part of the crowd.
    /// </summary>
    public int[] NearestCopies(int[] queries, Func<int, int, bool> excluded)
    {
        var result = Enumerable.Repeat(-1, queries.Length).ToArray();
        if (queries.Length == 0 || members.Length == 0) return result;
        var shifts = CellDescriptors.AllShifts(options.MaxShift);
        float[] values;
        int[] routes;
        using (var scope = NewDisposeScope())
        {
            var shifted = CellDescriptors.Of(normalized.index_select(0, tensor(queries.Select(g => (long)g).ToArray())), shifts, options)
                .view(queries.Length * shifts.Length, dimension);
            values = TensorCopy.ToArray<float>(shifted);
            routes = index.Route(shifted, options.TopProbes, options.LeafProbes);
        }
        var candidates = Candidates(queries, values, routes, shifts.Length, excluded);
        var pairs = candidates.SelectMany((list, q) => list.Select(c => (A: queries[q], B: members[c.Member], c.Dy, c.Dx))).ToArray();
        // Every pair at the shift its descriptors chose, without stage 1's second pass over the 8 neighbouring shifts: the query's
        // descriptors already probe every whole-pixel shift in both directions, and the pass would cost eight times the first.
        var distances = NearDuplicates.Distances(normalized, pairs, options.MaxShift, settled: double.PositiveInfinity);
        int at = 0;
        for (int q = 0; q < queries.Length; q++)
        {
            var mine = distances.AsSpan(at, candidates[q].Count).ToArray().Select((d, i) => (d.Distance, Partner: pairs[at + i].B)).OrderBy(d => d.Distance).ToArray();
            at += candidates[q].Count;
            if (mine.Length == 0) continue;
            // The crowd: the distance to the k-th nearest other candidate (∞ with fewer than k: the threshold alone decides).
            double crowd = mine.Length > options.CrowdNeighbours ? mine[options.CrowdNeighbours].Distance : double.PositiveInfinity;
            if (mine[0].Distance <= options.Threshold && mine[0].Distance <= options.DistinctRatio * crowd) result[q] = mine[0].Partner;
        }
        return result;
    }

    /// <summary>Per query, the reference images (member numbers) whose descriptor is within the threshold at some shift, with the best shift.</summary>
    List<(int Member, int Dy, int Dx)>[] Candidates(int[] queries, float[] values, int[] routes, int shiftCount, Func<int, int, bool> excluded)
    {
        int probes = options.LeafProbes;
        var shifts = CellDescriptors.AllShifts(options.MaxShift);
        float limit = (float)(options.DescriptorThreshold * Math.Sqrt(dimension));   // RMS threshold → Euclidean
        float limitSquared = limit * limit;
        var found = new List<(int, int, int)>[queries.Length];
        Parallel.For(0, queries.Length, q =>
        {
            var best = new Dictionary<int, (float Distance, int Dy, int Dx)>();
            for (int s = 0; s < shiftCount; s++)
            {
                int row = q * shiftCount + s;
                var query = values.AsSpan(row * dimension, dimension);
                float norm = Norm(query);
                for (int p = 0; p < probes; p++)
                {
                    int leaf = routes[row * probes + p];
                    if (leaf < 0) continue;
                    foreach (int m in index.Members(leaf))
                    {
                        if (Math.Abs(norm - norms[m]) > limit) continue;   // triangle inequality: cannot be within the limit
                        // Stage 1's SIMD distance, which gives up half-way once past the limit: most members of a leaf are far.
                        float squared = NearDuplicates.SquaredDistance(query, descriptors.AsSpan(m * dimension, dimension), limitSquared);
                        if (squared > limitSquared || excluded(queries[q], members[m])) continue;
                        float distance = MathF.Sqrt(squared);
                        if (!best.TryGetValue(m, out var seen) || distance < seen.Distance) best[m] = (distance, shifts[s].Dy, shifts[s].Dx);
                    }
                }
            }
            found[q] = best.Select(b => (b.Key, b.Value.Dy, b.Value.Dx)).ToList();
        });
        return found;
    }

    static float Norm(ReadOnlySpan<float> a)
    {
        float sum = 0;
        foreach (var v in a) sum += v * v;
        return MathF.Sqrt(sum);
    }

    public void Dispose() => index.Dispose();
}
