namespace Recipe.Inspect;

/// <summary>Disjoint sets over 0..n-1 (path halving, union by size): near-duplicate pairs → clusters.</summary>
public sealed class UnionFind
{
    readonly int[] _parent;
    readonly int[] _size;

    public UnionFind(int count)
    {
        _parent = Enumerable.Range(0, count).ToArray();
        _size = Enumerable.Repeat(1, count).ToArray();
    }

    public int Find(int x)
    {
        while (_parent[x] != x) x = _parent[x] = _parent[_parent[x]];
        return x;
    }

    public void Union(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a == b) return;
        if (_size[a] < _size[b]) (a, b) = (b, a);
        _parent[b] = a;
        _size[a] += _size[b];
    }

    /// <summary>The sets with at least two members, each sorted, ordered by first member.</summary>
    public static List<int[]> Groups(int count, IEnumerable<(int A, int B)> pairs)
    {
        var sets = new UnionFind(count);
        var touched = new SortedSet<int>();
        foreach (var (a, b) in pairs)
        {
            sets.Union(a, b);
            touched.Add(a);
            touched.Add(b);
        }
        return touched.GroupBy(sets.Find).Select(g => g.Order().ToArray()).Where(g => g.Length > 1).OrderBy(g => g[0]).ToList();
    }
}
