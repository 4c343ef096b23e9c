using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>
/// A two-level inverted file: k-means splits the points into about √(N / LeafSize) top clusters, and
/// k-means again splits each top cluster into leaves of about LeafSize points. A query is routed to its
/// nearest top clusters and, within them, its nearest leaves; only the points of those leaves are
/// compared with it. Building and routing cost O(N · √(N / LeafSize)) and O(√(N / LeafSize)) per query
/// — subquadratic — and a query scans a bounded number of points, so the search grows about linearly.
/// </summary>
public sealed class InvertedIndex : IDisposable
{
    const int Iterations = 8;
    /// <summary>Top-level k-means is fitted on at most this many points (a random sample).</summary>
    const int TopSample = 20_000;

    readonly Tensor _top;              // (C1, D)
    readonly Tensor[] _leafCentroids;  // per top cluster: (C2, D)
    readonly int[] _firstLeaf;         // per top cluster: global number of its first leaf
    readonly int[][] _members;         // per global leaf: the points in it

    InvertedIndex(Tensor top, Tensor[] leafCentroids, int[] firstLeaf, int[][] members)
    {
        _top = top;
        _leafCentroids = leafCentroids;
        _firstLeaf = firstLeaf;
        _members = members;
    }

    public int LeafCount => _members.Length;
    public int[] Members(int leaf) => _members[leaf];

    /// <param name="points">(N, D) float32.</param>
    public static InvertedIndex Build(Tensor points, int leafSize, int seed)
    {
        var random = new Random(seed);
        long n = points.shape[0];
        int topCount = Math.Max(1, (int)Math.Round(Math.Sqrt(n / (double)leafSize)));
        Tensor top;
        using (NewDisposeScope())
        {
            var sample = n <= TopSample ? points
                : points.index_select(0, tensor(Enumerable.Range(0, TopSample).Select(_ => random.NextInt64(n)).ToArray()));
            top = KMeans.Fit(sample, topCount, Iterations, random).MoveToOuterDisposeScope();
        }
        var topOf = KMeans.Nearest(points, top);
        var byTop = Enumerable.Range(0, (int)top.shape[0]).Select(_ => new List<long>()).ToArray();
        for (int i = 0; i < n; i++) byTop[topOf[i]].Add(i);

        var leafCentroids = new Tensor[byTop.Length];
        var firstLeaf = new int[byTop.Length];
        var members = new List<List<int>>();
        for (int t = 0; t < byTop.Length; t++)
        {
            firstLeaf[t] = members.Count;
            using var scope = NewDisposeScope();
            var inTop = byTop[t].Count == 0 ? zeros(1, points.shape[1]) : points.index_select(0, tensor(byTop[t].ToArray()));
            int leaves = Math.Max(1, (int)Math.Ceiling(byTop[t].Count / (double)leafSize));
            leafCentroids[t] = KMeans.Fit(inTop, leaves, Iterations, random).MoveToOuterDisposeScope();
            var leafOf = byTop[t].Count == 0 ? [] : KMeans.Nearest(inTop, leafCentroids[t]);
            var lists = Enumerable.Range(0, (int)leafCentroids[t].shape[0]).Select(_ => new List<int>()).ToList();
            for (int j = 0; j < leafOf.Length; j++) lists[(int)leafOf[j]].Add((int)byTop[t][j]);
            members.AddRange(lists);
        }
        return new InvertedIndex(top, leafCentroids, firstLeaf, members.Select(m => m.ToArray()).ToArray());
    }

    /// <summary>
    /// The <paramref name="leafProbes"/> nearest leaves of each query among the leaves of its
    /// <paramref name="topProbes"/> nearest top clusters, as global leaf numbers (row-major (Q, leafProbes); -1 = none).
    /// </summary>
    public int[] Route(Tensor queries, int topProbes, int leafProbes)
    {
        long q = queries.shape[0];
        // Nearest top clusters, in two halves on two threads (libtorch runs one thread per operation here).
        var tops = new int[q * topProbes];
        long half = (q + 1) / 2;
        Parallel.For(0, 2, part =>
        {
            long from = part * half, length = Math.Min(half, q - from);
            if (length <= 0) return;
            using var scope = NewDisposeScope();
            var (ids, _) = Smallest(TensorCopy.ToArray<float>(KMeans.Scores(queries.narrow(0, from, length), _top)), (int)_top.shape[0], topProbes);
            ids.CopyTo(tops, from * topProbes);
        });

        var rowsOf = Enumerable.Range(0, _leafCentroids.Length).Select(_ => new List<long>()).ToArray();
        for (long i = 0; i < tops.Length; i++) if (tops[i] >= 0) rowsOf[tops[i]].Add(i / topProbes);
        // Each top cluster scores the queries routed to it against its own leaves (in parallel) ...
        var perTop = new (long[] Rows, int[] Leaves, float[] Scores)[rowsOf.Length];
        Parallel.For(0, rowsOf.Length, t =>
        {
            if (rowsOf[t].Count == 0) return;
            using var scope = NewDisposeScope();
            var rows = rowsOf[t].ToArray();
            var scores = TensorCopy.ToArray<float>(KMeans.Scores(queries.index_select(0, tensor(rows)), _leafCentroids[t]));
            var (leaves, best) = Smallest(scores, (int)_leafCentroids[t].shape[0], leafProbes);
            for (int i = 0; i < leaves.Length; i++) if (leaves[i] >= 0) leaves[i] += _firstLeaf[t];
            perTop[t] = (rows, leaves, best);
        });
        // ... and each query keeps its best leaves over all its top clusters (|x|² is the same for every centroid).
        var bestLeaf = new int[q * leafProbes];
        var bestScore = new float[q * leafProbes];
        Array.Fill(bestLeaf, -1);
        Array.Fill(bestScore, float.PositiveInfinity);
        foreach (var (rows, leaves, scores) in perTop)
        {
            if (rows is null) continue;
            for (int r = 0; r < rows.Length; r++)
                for (int j = 0; j < leafProbes; j++)
                    if (leaves[r * leafProbes + j] >= 0)
                        Insert(bestLeaf.AsSpan((int)(rows[r] * leafProbes), leafProbes), bestScore.AsSpan((int)(rows[r] * leafProbes), leafProbes),
                            scores[r * leafProbes + j], leaves[r * leafProbes + j]);
        }
        return bestLeaf;
    }

    /// <summary>For each row of a row-major (rows, columns) matrix, the columns of its k smallest values, in order (-1 pads).</summary>
    static (int[] Ids, float[] Scores) Smallest(float[] matrix, int columns, int k)
    {
        int rows = matrix.Length / columns;
        var ids = new int[rows * k];
        var scores = new float[rows * k];
        Array.Fill(ids, -1);
        Array.Fill(scores, float.PositiveInfinity);
        for (int r = 0; r < rows; r++)
        {
            var row = matrix.AsSpan(r * columns, columns);
            var rowIds = ids.AsSpan(r * k, k);
            var rowScores = scores.AsSpan(r * k, k);
            float worst = float.PositiveInfinity;
            for (int c = 0; c < row.Length; c++)
                if (row[c] < worst)
                {
                    Insert(rowIds, rowScores, row[c], c);
                    worst = rowScores[k - 1];
                }
        }
        return (ids, scores);
    }

    /// <summary>Inserts (score, id) into a list kept sorted by score, dropping the last entry.</summary>
    static void Insert(Span<int> ids, Span<float> scores, float score, int id)
    {
        int k = ids.Length;
        if (score >= scores[k - 1]) return;
        int p = k - 1;
        while (p > 0 && scores[p - 1] > score)
        {
            scores[p] = scores[p - 1];
            ids[p] = ids[p - 1];
            p--;
        }
        scores[p] = score;
        ids[p] = id;
    }

    public void Dispose()
    {
        _top.Dispose();
        foreach (var c in _leafCentroids) c.Dispose();
    }
}
