namespace Recipe.Human;

/// <summary>
/// Which test examples a person annotates: a fixed, seeded draw, so a second pass (and another
/// person) sees the same examples and agreement can be measured.
/// </summary>
public static class HumanSample
{
    public static int[] Draw(int splitCount, int n, long seed)
    {
        var indices = Enumerable.Range(0, splitCount).ToArray();
        new Random(unchecked((int)seed * 31 + 17)).Shuffle(indices);
        return indices.Take(Math.Min(n, splitCount)).ToArray();
    }
}
