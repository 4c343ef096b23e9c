using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// Builds an autoregressive <see cref="Dataset"/> from a text file, one sequence per line, with a
/// character vocabulary. Each line becomes x = [␀, c1 … cn] and y = [c1 … cn, ␀] (the model predicts
/// the next character and the end of the line); positions past the end are padded in x and ignored
/// (-1) in y. Empty lines are skipped and counted in the notes.
/// </summary>
public static class TextLinesDataset
{
    /// <summary>Longer lines are cut to this many characters (and counted in the notes).</summary>
    public const int MaxLineLength = 128;

    public static Dataset Read(string path)
    {
        RegularFile.Require(path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new DataException(path, "byte 0", "at least one line of text, found an empty file");
        var text = Utf8Text.Decode(bytes, path);

        var all = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (all.Count > 0 && all[^1].Length == 0) all.RemoveAt(all.Count - 1);
        CheckNoBoundary(path, all);
        var lineNumbers = Enumerable.Range(0, all.Count).Where(i => all[i].Length > 0).ToArray();
        if (lineNumbers.Length == 0) throw new DataException(path, "line 1", "at least one non-empty line, found only empty lines");
        int cut = lineNumbers.Count(i => all[i].Length > MaxLineLength);
        var lines = lineNumbers.Select(i => all[i].Length > MaxLineLength ? all[i][..MaxLineLength] : all[i]).ToArray();

        var vocabulary = new Vocabulary(lines.SelectMany(l => l));
        int steps = lines.Max(l => l.Length) + 1;
        var x = new long[lines.Length * steps];
        var y = new long[lines.Length * steps];
        Array.Fill(y, -1);
        for (int n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            int row = n * steps;
            for (int t = 0; t < line.Length; t++)
            {
                long token = vocabulary.Encode(line[t]);
                x[row + t + 1] = token;
                y[row + t] = token;
            }
            y[row + line.Length] = 0;
        }

        var origins = lineNumbers.Select(i => $"line {i + 1}").ToArray();
        using var full = new DataSplit("all", torch.tensor(x, dtype: int64).reshape(lines.Length, steps),
            torch.tensor(y, dtype: int64).reshape(lines.Length, steps), origins);
        var (rest, test) = SplitCarver.Carve(lines.Length, 0.1, null);
        var (train, validation) = SplitCarver.Carve(rest.Length, 0.1 / 0.9, null);
        SplitSizeCheck.Require(path, $"{lines.Length} non-empty lines", "non-empty lines", train.Length, validation.Length, test.Length);
        var notes = new List<string>();
        int empty = all.Count - lineNumbers.Length;
        if (empty > 0) notes.Add($"{empty} empty lines skipped");
        if (cut > 0) notes.Add($"{cut} lines longer than {MaxLineLength} characters cut to {MaxLineLength}");
        return new Dataset
        {
            Name = Path.GetFileName(path),
            Source = path,
            Format = DataFormat.TextLines,
            Task = TaskKind.Sequence,
            ClassNames = [],
            ExampleShape = [steps],
            Train = full.Subset("train", train.Select(i => rest[i]).ToArray()),
            Validation = full.Subset("validation", validation.Select(i => rest[i]).ToArray()),
            Test = full.Subset("test", test),
            Vocabulary = vocabulary,
            Notes = notes,
        };
    }

    /// <summary>The boundary token's character must not occur in the text, or it would read as the end of a line.</summary>
    static void CheckNoBoundary(string path, List<string> lines)
    {
        for (int i = 0; i < lines.Count; i++)
        {
            int at = lines[i].IndexOf(Vocabulary.Boundary);
            if (at >= 0)
                throw new DataException(path, $"line {i + 1}, character {at + 1}",
                    $"text without U+2400 ({Vocabulary.Boundary}), which Recipe reserves to mark the start and end of a line");
        }
    }
}
