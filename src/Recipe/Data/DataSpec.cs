namespace Recipe.Data;

/// <summary>Options that some formats need: the CSV target, the image size, tolerance of unreadable files.</summary>
public sealed record ReadOptions(string? TargetColumn = null, int ImageSize = 32, bool SkipUnreadable = false);

/// <summary>
/// Turns what the user typed after --data into a dataset: a built-in name (fashion-mnist, words) or a
/// path whose format is detected from what is there.
/// </summary>
public static class DataSpec
{
    public const string DefaultSpec = "fashion-mnist";
    public const string SystemFashionMnist = "/usr/share/datasets/fashion-mnist";
    public const string SystemWords = "/usr/share/dict/words";

    public static Dataset Load(string spec, ReadOptions? options = null)
    {
        options ??= new ReadOptions();
        switch (spec)
        {
            case "fashion-mnist":
                return Directory.Exists(SystemFashionMnist)
                    ? IdxDataset.FromFolder(SystemFashionMnist, "fashion-mnist", IdxDataset.FashionMnistClasses)
                    : IdxDataset.EmbeddedFashionMnistSample();
            case "fashion-mnist-sample":
                return IdxDataset.EmbeddedFashionMnistSample();
            case "words":
                if (!File.Exists(SystemWords))
                    throw new DataException(SystemWords, "path", "the word list from Debian's wamerican package (apt-get install wamerican)");
                return TextLinesDataset.Read(SystemWords);
        }
        return Detect(spec) switch
        {
            DataFormat.Idx => IdxDataset.FromFolder(IdxFolderOf(spec), Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(IdxFolderOf(spec)))),
                IsFashionMnist(spec) ? IdxDataset.FashionMnistClasses : null),
            DataFormat.Csv => CsvDataset.Read(spec, options.TargetColumn),
            DataFormat.ImageFolder => ImageFolderDataset.Read(spec, options.ImageSize, options.SkipUnreadable),
            DataFormat.TextLines => TextLinesDataset.Read(spec),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Detects the format of a path, or throws a <see cref="DataException"/> saying what was expected.</summary>
    public static DataFormat Detect(string path)
    {
        if (Directory.Exists(path))
        {
            if (Directory.EnumerateFiles(path).Any(IsIdxName)) return DataFormat.Idx;
            if (Directory.EnumerateDirectories(path).Any()) return DataFormat.ImageFolder;
            throw new DataException(path, "folder",
                Directory.EnumerateFileSystemEntries(path).Any()
                    ? "IDX files or one subfolder of images per class"
                    : "IDX files or one subfolder of images per class, found an empty folder");
        }
        if (!File.Exists(path))
            throw new DataException(path, "path", "an existing file or folder, or a built-in name (fashion-mnist, fashion-mnist-sample, words), found nothing there");
        if (IsIdxName(path)) return DataFormat.Idx;
        if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase)) return DataFormat.Csv;
        return DataFormat.TextLines;
    }

    static bool IsIdxName(string path) => Path.GetFileName(path).Contains("-idx", StringComparison.Ordinal);

    static string IdxFolderOf(string spec) => Directory.Exists(spec) ? spec : Path.GetDirectoryName(Path.GetFullPath(spec))!;

    static bool IsFashionMnist(string spec) => Path.GetFullPath(IdxFolderOf(spec)).Contains("fashion", StringComparison.OrdinalIgnoreCase);
}
