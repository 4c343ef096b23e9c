namespace Recipe.Inspect;

/// <summary>
/// Exact duplicates: examples whose bytes are identical. Each example is hashed once (linear time),
/// and examples that share a hash are compared byte for byte, so a hash collision never makes a false group.
/// </summary>
public static class ExactDuplicates
{
    /// <summary>
    /// Groups of identical examples, each with at least two members in ascending order, ordered by first member.
    /// </summary>
    /// <param name="count">How many examples there are.</param>
    /// <param name="bytesOf">The bytes of example i.</param>
    public static List<int[]> Find(int count, BytesOf bytesOf)
    {
        var buckets = new Dictionary<int, List<int>>(count);
        for (int i = 0; i < count; i++)
        {
            var hash = new HashCode();
            hash.AddBytes(bytesOf(i));
            int key = hash.ToHashCode();
            if (buckets.TryGetValue(key, out var bucket)) bucket.Add(i);
            else buckets[key] = [i];
        }
        var groups = new List<int[]>();
        foreach (var bucket in buckets.Values.Where(b => b.Count > 1))
        {
            // Within one hash bucket, split by actual content (collisions are rare, so this is short).
            var remaining = new List<int>(bucket);
            while (remaining.Count > 1)
            {
                int first = remaining[0];
                var same = remaining.Where(i => bytesOf(i).SequenceEqual(bytesOf(first))).ToArray();
                if (same.Length > 1) groups.Add(same);
                remaining.RemoveAll(i => same.Contains(i));
            }
        }
        groups.Sort((a, b) => a[0].CompareTo(b[0]));
        return groups;
    }

    public delegate ReadOnlySpan<byte> BytesOf(int index);

    /// <summary>For each example, the first member of its exact-duplicate group (itself when unique).</summary>
    public static int[] Representatives(int count, IEnumerable<int[]> groups)
    {
        var representative = Enumerable.Range(0, count).ToArray();
        foreach (var group in groups)
            foreach (var member in group) representative[member] = group[0];
        return representative;
    }
}
