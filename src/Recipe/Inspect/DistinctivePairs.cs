namespace Recipe.Inspect;

/// <summary>
/// Keeps the near-duplicate pairs that stand out from their own neighbourhood. A fixed distance threshold cannot tell
/// a copy from a look-alike in a dense class: Fashion-MNIST's plain trousers, once normalized, are all within it of
/// each other and chain into clusters of a hundred distinct photographs. The control is measured on the same images:
/// each image's distance to its k-th nearest other candidate (the look-alikes around it). A copy is much closer to its
/// original than that; a look-alike is about as close as the rest of the crowd. An image with fewer than k candidates
/// lives in a sparse region, where the threshold alone decides (as before).
/// </summary>
public static class DistinctivePairs
{
    /// <param name="verified">Every candidate pair with its verified distance, within the threshold or not (the crowd is the control).</param>
    public static List<NearDuplicatePair> Keep(IReadOnlyList<NearDuplicatePair> verified, NearDuplicateOptions options)
    {
        var distances = new Dictionary<int, List<double>>();
        foreach (var p in verified)
        {
            Add(p.A, p.Distance);
            Add(p.B, p.Distance);
        }
        foreach (var list in distances.Values) list.Sort();

        return verified.Where(p => p.Distance <= options.Threshold
                                   && p.Distance <= options.DistinctRatio * Math.Max(Crowd(p.A, p.Distance), Crowd(p.B, p.Distance))).ToList();

        void Add(int image, double distance)
        {
            if (!distances.TryGetValue(image, out var list)) distances[image] = list = [];
            list.Add(distance);
        }

        // The k-th smallest distance from the image to a candidate other than the pair's partner (∞: too few to be a crowd).
        double Crowd(int image, double partner)
        {
            var list = distances[image];
            int skip = list.BinarySearch(partner) is var at && at >= 0 ? 1 : 0;   // the partner's own distance is not the crowd
            int k = options.CrowdNeighbours - 1 + skip;
            return k < list.Count ? list[k] : double.PositiveInfinity;
        }
    }
}
