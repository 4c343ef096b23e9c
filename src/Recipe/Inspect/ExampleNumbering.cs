using Recipe.Data;

namespace Recipe.Inspect;

/// <summary>
/// All examples of a dataset in one numbering, so that duplicates can be searched within and across
/// splits in one pass: train first, then validation, then test. Maps a global number back to its split.
/// </summary>
public sealed class ExampleNumbering
{
    readonly DataSplit[] _splits;
    readonly int[] _offsets;
    readonly Func<long, string?> _labelOf;

    /// <param name="labelOf">The readable label of a target value (class name), or null when there is none.</param>
    public ExampleNumbering(IEnumerable<DataSplit> splits, Func<long, string?> labelOf)
    {
        _splits = splits.ToArray();
        _offsets = new int[_splits.Length + 1];
        for (int s = 0; s < _splits.Length; s++) _offsets[s + 1] = _offsets[s] + _splits[s].Count;
        _labelOf = labelOf;
    }

    /// <summary>Numbering of a dataset's three splits, labels read as class names.</summary>
    public static ExampleNumbering Of(Dataset data) => new(data.Splits, target => LabelName(data, target));

    public static string? LabelName(Dataset data, long target) =>
        data.Task != TaskKind.Classification ? null
        : target >= 0 && target < data.ClassCount ? data.ClassNames[(int)target]
        : $"{target} (outside the classes)";

    public int Count => _offsets[^1];
    public IReadOnlyList<DataSplit> Splits => _splits;

    /// <summary>Global number of the first example of split <paramref name="s"/> (by position).</summary>
    public int Offset(int s) => _offsets[s];

    public (int Split, int Index) Locate(int global)
    {
        if (global < 0 || global >= Count) throw new ArgumentOutOfRangeException(nameof(global));
        int s = Array.BinarySearch(_offsets, global);
        s = s >= 0 ? s : ~s - 1;
        while (_offsets[s + 1] == global) s++; // skip empty splits
        return (s, global - _offsets[s]);
    }

    public string SplitName(int global) => _splits[Locate(global).Split].Name;

    /// <summary>Names example <paramref name="global"/> with its target read as <paramref name="target"/>.</summary>
    public ExampleRef Ref(int global, long? target)
    {
        var (s, i) = Locate(global);
        var split = _splits[s];
        return new ExampleRef(split.Name, i, split.SourceIndices[i], split.OriginOf(i), target is { } t ? _labelOf(t) : null);
    }

    /// <summary>The splits the given examples belong to, in split order, joined by '+'.</summary>
    public string SplitsOf(IEnumerable<int> globals) =>
        string.Join("+", globals.Select(g => Locate(g).Split).Distinct().Order().Select(s => _splits[s].Name));
}
