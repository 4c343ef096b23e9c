namespace Recipe.Data;

/// <summary>Options that some formats need: the CSV target, the image size, tolerance of unreadable files.</summary>
/// <param name="NoHeader">CSV only: the first line is data; columns are named col0, col1, ….</param>
/// <param name="Task">CSV only: classification or regression, instead of guessing from the target's values.</param>
public sealed record ReadOptions(string? TargetColumn = null, int ImageSize = 32, bool SkipUnreadable = false, bool NoHeader = false, TaskKind? Task = null);

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
                RequireTaskOf(spec, DataFormat.Idx, options);
                return Directory.Exists(SystemFashionMnist)
                    ? IdxDataset.FromFolder(SystemFashionMnist, "fashion-mnist", IdxDataset.FashionMnistClasses)
                    : IdxDataset.EmbeddedFashionMnistSample();
            case "fashion-mnist-sample":
                RequireTaskOf(spec, DataFormat.Idx, options);
                return IdxDataset.EmbeddedFashionMnistSample();
            case "words":
                RequireTaskOf(spec, DataFormat.TextLines, options);
                if (!File.Exists(SystemWords))
                    throw new DataException(SystemWords, "path", "the word list from Debian's wamerican package (apt-get install wamerican)");
                return TextLinesDataset.Read(SystemWords);
        }
        var format = Detect(spec);
        RequireTaskOf(spec, format, options);
        return format switch
        {
            DataFormat.Idx => IdxDataset.FromFolder(IdxFolderOf(spec), Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(IdxFolderOf(spec)))),
                IsFashionMnist(spec) ? IdxDataset.FashionMnistClasses : null),
            DataFormat.Csv => CsvDataset.Read(spec, options),
            DataFormat.ImageFolder => ImageFolderDataset.Read(spec, options.ImageSize, options.SkipUnreadable),
            DataFormat.TextLines => TextLinesDataset.Read(spec),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>The task of every format but CSV is fixed; a --task that asks for another is refused, not ignored.</summary>
    static void RequireTaskOf(string spec, DataFormat format, ReadOptions options)
    {
        if (format == DataFormat.Csv || options.Task is not { } task) return;
        var fixedTask = format == DataFormat.TextLines ? TaskKind.Sequence : TaskKind.Classification;
        if (task != fixedTask)
            throw new DataException(spec, "--task", $"a CSV table for --task {task.ToString().ToLowerInvariant()} ({format} data is always {fixedTask.ToString().ToLowerInvariant()})");
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
        RegularFile.Require(path);
        if (IsIdxName(path)) return DataFormat.Idx;
        if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase)) return DataFormat.Csv;
        return DataFormat.TextLines;
    }

    static bool IsIdxName(string path) => Path.GetFileName(path).Contains("-idx", StringComparison.Ordinal);

    static string IdxFolderOf(string spec) => Directory.Exists(spec) ? spec : Path.GetDirectoryName(Path.GetFullPath(spec))!;

    static bool IsFashionMnist(string spec) => Path.GetFullPath(IdxFolderOf(spec)).Contains("fashion", StringComparison.OrdinalIgnoreCase);
}
