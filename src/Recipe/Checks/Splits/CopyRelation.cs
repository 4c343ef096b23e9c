using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Checks.Splits;

/// <summary>
/// "Is a copy of" over every example of the splits, numbered in turn (train, then validation, then test): each example's
/// group of copies (−1 when it has none). A near-copy relation leaves out partners that are exact copies of the example,
/// which the exact relation already counts.
/// </summary>
public sealed class CopyRelation
{
    readonly int[] offsets, groupOf;
    readonly int[]? identity;

    CopyRelation(string kind, int[] offsets, int[] groupOf, int[]? identity = null)
    {
        Kind = kind;
        this.offsets = offsets;
        this.groupOf = groupOf;
        this.identity = identity;
    }

    /// <summary>"copies" or "near copies": the words of the evidence and the finding.</summary>
    public string Kind { get; }
    public int Count => offsets[^1];

    public int Global(int split, int index) => offsets[split] + index;
    public int GroupOf(int global) => groupOf[global];

    /// <summary>Numbering of the given splits' examples in turn: where each split starts.</summary>
    public static int[] Offsets(IReadOnlyList<DataSplit> splits)
    {
        var offsets = new int[splits.Count + 1];
        for (int s = 0; s < splits.Count; s++) offsets[s + 1] = offsets[s] + splits[s].Count;
        return offsets;
    }

    /// <summary>Exact copies: examples whose stored inputs are byte for byte the same.</summary>
    public static CopyRelation Exact(IReadOnlyList<DataSplit> splits)
    {
        var offsets = Offsets(splits);
        var bytes = splits.Select(s => TensorCopy.ToArray<byte>(s.Inputs)).ToArray();
        var size = splits.Select((s, n) => s.Count == 0 ? 0 : bytes[n].Length / s.Count).ToArray();
        var groups = ExactDuplicates.Find(offsets[^1], g =>
        {
            var (s, i) = Locate(offsets, g);
            return bytes[s].AsSpan(i * size[s], size[s]);
        });
        return new CopyRelation("copies", offsets, GroupNumbers(offsets[^1], groups));
    }

    /// <summary>
    /// Near copies from pairs of near-duplicate examples (found among one representative per exact group): groups joined
    /// through the pairs and through exact copies, partners that are exact copies of the example left out.
    /// </summary>
    public static CopyRelation Near(CopyRelation exact, IEnumerable<(int A, int B)> pairs)
    {
        var links = pairs.ToList();
        var byExactGroup = new Dictionary<int, int>();
        for (int g = 0; g < exact.Count; g++)
            if (exact.GroupOf(g) is var e && e >= 0)
            {
                if (byExactGroup.TryGetValue(e, out int first)) links.Add((first, g));
                else byExactGroup[e] = g;
            }
        var groups = UnionFind.Groups(exact.Count, links);
        return new CopyRelation("near copies", exact.offsets, GroupNumbers(exact.Count, groups), identity: exact.groupOf);
    }

    /// <summary>For each held-out example with a partner among the reference examples: the pair (global numbers).</summary>
    public List<(int HeldOut, int Partner)> Partners(IEnumerable<int> heldOut, IEnumerable<int> reference)
    {
        // Per group, a few reference members with distinct identities: enough to find one that is not the example's own exact copy.
        var members = new Dictionary<int, List<int>>();
        foreach (int r in reference)
            if (groupOf[r] is var g && g >= 0)
            {
                if (!members.TryGetValue(g, out var list)) members[g] = list = [];
                if (list.Count < 2 && (list.Count == 0 || Identity(list[0]) != Identity(r))) list.Add(r);
            }
        var found = new List<(int, int)>();
        foreach (int h in heldOut)
            if (groupOf[h] is var g && g >= 0 && members.TryGetValue(g, out var list)
                && list.FirstOrDefault(r => r != h && (identity is null || Identity(r) != Identity(h)), -1) is var partner && partner >= 0)
                found.Add((h, partner));
        return found;
    }

    /// <summary>Split and index of a global number.</summary>
    public (int Split, int Index) Locate(int global) => Locate(offsets, global);

    /// <summary>The exact group of an example, or a number of its own when it has no exact copy.</summary>
    int Identity(int global) => identity is not null && identity[global] >= 0 ? identity[global] : -1 - global;

    static (int Split, int Index) Locate(int[] offsets, int global)
    {
        int s = 0;
        while (global >= offsets[s + 1]) s++;
        return (s, global - offsets[s]);
    }

    static int[] GroupNumbers(int count, IEnumerable<int[]> groups)
    {
        var groupOf = new int[count];
        Array.Fill(groupOf, -1);
        int number = 0;
        foreach (var group in groups.Where(g => g.Length > 1))
        {
            foreach (int g in group) groupOf[g] = number;
            number++;
        }
        return groupOf;
    }
}
