using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Checks.Splits;

/// <summary>
/// Near-duplicate lines across the pipeline's own splits, by stage 1's two rules: lines equal once case, spacing and
/// punctuation are set aside (<see cref="SimilarText.Normalize"/>), and long lines whose character 5-grams mostly agree
/// (<see cref="SimilarText.Groups"/>: a word changed, a typo fixed). Read back through the dataset's vocabulary.
/// </summary>
public static class TextNearCopies
{
    /// <summary>Lines of characters: token sequences (N, T) with the vocabulary to read them.</summary>
    public static bool Applies(Dataset data) => data.Vocabulary is not null && data.Train.Inputs.dim() == 2 && !data.Train.Inputs.is_floating_point();

    /// <summary>Every example's line, the splits in turn.</summary>
    public static string[] Lines(IReadOnlyList<DataSplit> splits, Vocabulary vocabulary)
    {
        var lines = new List<string>();
        foreach (var split in splits.Where(s => s.Count > 0))
        {
            long steps = split.Inputs.shape[1];
            using var tokens = split.Inputs.to_type(TorchSharp.torch.int64);
            var all = TensorCopy.ToArray<long>(tokens);
            for (int i = 0; i < split.Count; i++) lines.Add(vocabulary.DecodeLine(new ArraySegment<long>(all, (int)(i * steps), (int)steps)));
        }
        return [.. lines];
    }

    /// <summary>Pairs of lines (global numbers) that are near copies: each line linked to the first line of its group.</summary>
    public static List<(int A, int B)> Pairs(IReadOnlyList<string> lines)
    {
        var pairs = new List<(int, int)>();
        var firstWith = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++)
        {
            var key = SimilarText.Normalize(lines[i]);
            if (key.Length == 0) continue;
            if (firstWith.TryGetValue(key, out int first)) pairs.Add((first, i));
            else firstWith[key] = i;
        }
        foreach (var (members, _) in SimilarText.Groups(lines))
            pairs.AddRange(members.Skip(1).Select(m => (members[0], m)));
        return pairs;
    }
}
