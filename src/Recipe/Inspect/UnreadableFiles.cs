using Recipe.Data;

namespace Recipe.Inspect;

/// <summary>
/// Files the reader could not decode. Image folders are read with <c>SkipUnreadable</c>, which skips
/// such files and records each in <see cref="Dataset.Notes"/>; this turns those notes into a finding.
/// </summary>
public static class UnreadableFiles
{
    /// <summary>
    /// The note <see cref="ImageFolderDataset"/> writes for a skipped file, followed by the reader's error
    /// ("PATH: PLACE: expected ...", see <see cref="DataException"/>).
    /// </summary>
    public const string NotePrefix = "unreadable image skipped: ";

    /// <summary>The skipped files' paths.</summary>
    public static IReadOnlyList<string> Of(Dataset data) => Details(data).Select(d => d.Path).ToList();

    /// <summary>The skipped files with the reader's reason.</summary>
    public static IReadOnlyList<(string Path, string Reason)> Details(Dataset data) =>
        data.Notes.Where(n => n.StartsWith(NotePrefix, StringComparison.Ordinal)).Select(n => Split(n[NotePrefix.Length..])).ToList();

    /// <summary>"PATH: rest" → (PATH, rest); the path is the longest prefix before a ": " that names an existing file.</summary>
    static (string Path, string Reason) Split(string error)
    {
        for (int at = error.LastIndexOf(": ", StringComparison.Ordinal); at > 0; at = error.LastIndexOf(": ", at - 1, StringComparison.Ordinal))
            if (File.Exists(error[..at])) return (error[..at], error[(at + 2)..]);
        return (error, "");
    }

    /// <summary>One finding listing every unreadable file, or none.</summary>
    public static IEnumerable<Finding> Findings(Dataset data)
    {
        var files = Of(data);
        if (files.Count == 0) yield break;
        var root = Path.GetFullPath(data.Source);
        var examples = files.Select(f => new ExampleRef(SplitOf(root, f), -1, -1, f, Path.GetFileName(Path.GetDirectoryName(f)))).ToList();
        yield return new Finding(FindingKind.Corrupted, string.Join("+", examples.Select(e => e.Split).Distinct().Order()),
            $"{files.Count} file(s) could not be decoded and were skipped: {string.Join(", ", files.Take(4).Select(Path.GetFileName))}{(files.Count > 4 ? ", …" : "")}",
            examples);
    }

    /// <summary>"train" or "test" when the file sits in the dataset's own train/ or test/ folder, else "all" (not yet split).</summary>
    static string SplitOf(string root, string file)
    {
        var relative = Path.GetRelativePath(root, Path.GetFullPath(file)).Split(Path.DirectorySeparatorChar);
        return relative.Length > 2 && relative[0] is "train" or "test" ? relative[0] : "all";
    }
}
