namespace Recipe.Data;

/// <summary>
/// Carves a held-out part from a split, deterministically and (for classes) stratified, so every run
/// with any training seed sees the same validation examples and every class keeps its share.
/// </summary>
public static class SplitCarver
{
    /// <summary>The seed of the carving. Fixed on purpose: a training seed must not change the data.</summary>
    public const int CarvingSeed = 20_171_128;

    /// <summary>Returns (kept, carved) indices, each in ascending order.</summary>
    /// <param name="classes">Class of each example, or null to carve uniformly (regression, text).</param>
    public static (long[] Kept, long[] Carved) Carve(int count, double fraction, int[]? classes)
    {
        var random = new Random(CarvingSeed);
        var groups = classes is null
            ? [Enumerable.Range(0, count).ToArray()]
            : Enumerable.Range(0, count).GroupBy(i => classes[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        var carved = new List<long>();
        foreach (var group in groups)
        {
            random.Shuffle(group);
            int take = (int)Math.Round(group.Length * fraction);
            carved.AddRange(group.Take(take).Select(i => (long)i));
        }
        var carvedSet = carved.ToHashSet();
        var kept = Enumerable.Range(0, count).Select(i => (long)i).Where(i => !carvedSet.Contains(i)).ToArray();
        carved.Sort();
        return (kept, carved.ToArray());
    }
}
