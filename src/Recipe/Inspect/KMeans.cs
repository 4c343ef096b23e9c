using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>Lloyd's k-means with matrix products (distances as |c|² − 2·x·c, the |x|² term never changes a ranking).</summary>
public static class KMeans
{
    /// <summary>Centroids (k, D) of <paramref name="points"/> (n, D), started from k distinct random points.</summary>
    public static Tensor Fit(Tensor points, int k, int iterations, Random random)
    {
        long n = points.shape[0];
        k = (int)Math.Min(k, n);
        var start = Enumerable.Range(0, (int)n).ToArray();
        random.Shuffle(start);
        using var scope = NewDisposeScope();
        var centroids = points.index_select(0, tensor(start.Take(k).Select(i => (long)i).ToArray()));
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            var nearest = Scores(points, centroids).argmin(1);
            var sums = zeros(k, points.shape[1]).index_add(0, nearest, points, 1);
            var counts = zeros(k).index_add(0, nearest, ones(n), 1).view(k, 1);
            centroids = where(counts > 0, sums / counts.clamp_min(1), centroids);   // an empty cluster keeps its centroid
        }
        return centroids.MoveToOuterDisposeScope();
    }

    /// <summary>(n, k): |c|² − 2·x·c, which ranks centroids by distance for each point.</summary>
    public static Tensor Scores(Tensor points, Tensor centroids) =>
        addmm(centroids.square().sum(1).view(1, -1), points, centroids.t(), beta: 1, alpha: -2);

    /// <summary>Index of the nearest centroid of each point.</summary>
    public static long[] Nearest(Tensor points, Tensor centroids)
    {
        using var scope = NewDisposeScope();
        return TensorCopy.ToArray<long>(Scores(points, centroids).argmin(1));
    }
}
