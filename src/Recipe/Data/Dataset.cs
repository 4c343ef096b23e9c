namespace Recipe.Data;

/// <summary>
/// A dataset read from disk: its splits (train, validation, test), what the task is, and what a person
/// needs to read the examples back (class names, the table's columns, the text's vocabulary).
/// </summary>
public sealed class Dataset : IDisposable
{
    public required string Name { get; init; }
    /// <summary>The file or folder it was read from.</summary>
    public required string Source { get; init; }
    public required DataFormat Format { get; init; }
    public required TaskKind Task { get; init; }
    /// <summary>Class names for classification; empty for regression and sequences.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>Shape of one input: (C, H, W) for images, (F) for tables, (T) for text.</summary>
    public required long[] ExampleShape { get; init; }
    public required DataSplit Train { get; init; }
    public required DataSplit Validation { get; init; }
    public required DataSplit Test { get; init; }
    /// <summary>For CSV data: the raw columns (missing values visible) and how they became features.</summary>
    public Table? Table { get; init; }
    /// <summary>For text data: the character vocabulary (token 0 marks start and end of a line).</summary>
    public Vocabulary? Vocabulary { get; init; }
    /// <summary>Notes taken while reading (e.g. unreadable files skipped), shown in reports.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public int ClassCount => ClassNames.Count;
    public IEnumerable<DataSplit> Splits => [Train, Validation, Test];

    public DataSplit Split(string name) => name switch
    {
        "train" => Train,
        "validation" => Validation,
        "test" => Test,
        _ => throw new ArgumentException($"unknown split '{name}' (expected train, validation or test)"),
    };

    /// <summary>
    /// The same dataset cut to about <paramref name="size"/> examples: the first examples of every
    /// split, each split shrunk in the same proportion, so class names, shapes and the split ratios
    /// stay. For measuring how a cost grows with the data; the caller disposes the result.
    /// </summary>
    public Dataset Head(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        double fraction = Math.Min(1, size / (double)Splits.Sum(s => s.Count));
        DataSplit Part(DataSplit split) =>
            split.Subset(split.Name, Enumerable.Range(0, (int)Math.Round(split.Count * fraction)).Select(i => (long)i).ToArray());
        return new Dataset
        {
            Name = Name, Source = Source, Format = Format, Task = Task, ClassNames = ClassNames, ExampleShape = ExampleShape,
            Train = Part(Train), Validation = Part(Validation), Test = Part(Test), Table = Table, Vocabulary = Vocabulary, Notes = Notes,
        };
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
