namespace Recipe.Reporting;

/// <summary>
/// Writes a command's outputs into a staging folder and moves them into place only when the command
/// finished, so a failed or interrupted run never leaves a folder that looks complete.
/// The folder may be the user's: Recipe lists every file it committed in a marker file
/// (<see cref="MarkerName"/>) and only ever deletes or replaces files on that list. A commit removes the
/// previous run's listed files first, so the folder then holds exactly this run's outputs (a run that
/// stopped before training leaves no earlier model.bin behind), and anything else that is there is left
/// alone. A folder holding other things is refused unless the caller says so (<c>force</c>, the CLI's --force), so a
/// library user calling RunStage gets the same protection as the command line; a file of the user's standing where
/// Recipe must write is refused even then (<see cref="Collisions"/>).
/// </summary>
public sealed class OutputFolder : IDisposable
{
    /// <summary>The file that lists, one relative path a line, every file Recipe committed to the folder.</summary>
    public const string MarkerName = ".recipe-run";

    /// <summary>
    /// Top-level names Recipe's commands write. A file of the user's under one of these names cannot be
    /// kept beside the outputs (the output would have to replace it), so the folder is refused even with --force.
    /// The folders checks/ and inspect/ of the user's merge: Recipe adds its files and deletes none of theirs.
    /// </summary>
    static readonly string[] OwnFileNames = ["report.html", "summary.json", "model.bin", "model.json", "model.pt", "model.safetensors", "ensemble.safetensors", "predictions.csv", "examples.csv", "query.png", "query.csv", "query.txt", "suspected_labels.csv", MarkerName];
    static readonly string[] OwnFolderNames = ["checks", "inspect"];

    readonly string _final;
    bool _committed;

    /// <param name="force">Write beside files Recipe did not write (they are kept); without it such a folder is refused.</param>
    public OutputFolder(string path, bool force = false)
    {
        EnsureUsable(path, force);
        _final = FullPathOf(path);
        Staging = Path.Combine(Path.GetDirectoryName(_final)!, $".{Path.GetFileName(_final)}.partial-{Environment.ProcessId}");
        if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
        Directory.CreateDirectory(Staging);
    }

    /// <summary>Where to write while the command runs.</summary>
    public string Staging { get; }

    public string PathOf(string file) => Path.Combine(Staging, file);

    /// <summary>The folder the outputs end in.</summary>
    public string Final => _final;

    /// <summary>
    /// The full path of an output folder, or an <see cref="OutputFolderException"/> saying why it cannot be one:
    /// empty, the file system's root, an existing file, or below a file.
    /// </summary>
    public static string FullPathOf(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new OutputFolderException($"'{path}': expected a folder path, found an empty one");
        string full;
        try
        {
            full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new OutputFolderException($"{path}: expected a folder path ({e.Message})");
        }
        if (Path.GetDirectoryName(full) is null)
            throw new OutputFolderException($"{path}: expected a folder below the root, found the root itself");
        if (File.Exists(full))
            throw new OutputFolderException($"{path}: expected a folder, found a file");
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
            if (File.Exists(parent))
                throw new OutputFolderException($"{path}: expected a folder path, but {parent} is a file");
        return full;
    }

    /// <summary>
    /// Relative paths in <paramref name="path"/> that Recipe did not write (outermost first: a foreign folder
    /// is listed, not its contents); empty when the folder does not exist yet.
    /// </summary>
    public static IReadOnlyList<string> ForeignEntries(string path)
    {
        var folder = FullPathOf(path);
        if (!Directory.Exists(folder)) return [];
        var owned = ReadMarker(folder);
        var ownedFolders = owned.SelectMany(AncestorsOf).ToHashSet();
        var foreign = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            var relative = Relative(folder, entry);
            if (foreign.Any(f => relative.StartsWith(f + "/", StringComparison.Ordinal))) continue; // inside a foreign folder
            bool isFolder = Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint);
            bool ours = isFolder ? ownedFolders.Contains(relative) : owned.Contains(relative) || relative == MarkerName;
            if (!ours) foreign.Add(relative);
        }
        return foreign;
    }

    /// <summary>
    /// The foreign entries of <paramref name="path"/> that stand where Recipe must write (a user's report.html,
    /// a file called checks): such a folder cannot be used even with --force, as the user's file would have to be replaced.
    /// </summary>
    public static IReadOnlyList<string> Collisions(string path)
    {
        var folder = FullPathOf(path);
        return ForeignEntries(folder)
            .Where(f => OwnFileNames.Contains(f) || OwnFolderNames.Contains(f) && !Directory.Exists(Path.Combine(folder, f)))
            .ToList();
    }

    /// <summary>
    /// Refuses, with an <see cref="OutputFolderException"/> naming the folder and what is in the way, a folder that cannot
    /// take Recipe's outputs: one holding a file of the user's where Recipe must write (always), or anything Recipe did
    /// not write (unless <paramref name="force"/>). Checked before any work, so nothing is computed for a folder that is refused.
    /// </summary>
    public static void EnsureUsable(string path, bool force)
    {
        var folder = FullPathOf(path);
        if (Collisions(folder) is [var first, ..] collisions)
            throw new OutputFolderException($"{path}: {first}{(collisions.Count > 1 ? $" (and {collisions.Count - 1} more)" : "")} there was not written by Recipe " +
                                            "and would have to be replaced; choose another folder (even --force never replaces a file Recipe did not write)");
        if (!force && ForeignEntries(folder) is [_, ..] foreign)
            throw new OutputFolderException($"{path}: expected an empty folder or one Recipe wrote, found " +
                                            string.Join(", ", foreign.Take(3).Select(e => $"'{e}'")) + (foreign.Count > 3 ? $" and {foreign.Count - 3} more" : "") +
                                            " that Recipe did not write; choose another folder, or force it (--force) to write beside them (only Recipe's own files are replaced)");
    }

    /// <summary>Moves every staged file into the final folder, after removing the files the previous run of Recipe listed.</summary>
    public void Commit()
    {
        var staged = Directory.EnumerateFiles(Staging, "*", SearchOption.AllDirectories).Select(f => Relative(Staging, f)).ToList();
        var previous = ReadMarker(_final);
        var conflicts = staged.Where(f => !previous.Contains(f) && (File.Exists(Target(f)) || Directory.Exists(Target(f))))
            .Concat(staged.SelectMany(AncestorsOf).Distinct().Where(a => File.Exists(Target(a))))
            .ToList();
        if (conflicts.Count > 0)
            throw new OutputFolderException($"{_final}: expected to write {conflicts[0]}, but a file or folder Recipe did not write is there" +
                                            $"{(conflicts.Count > 1 ? $" (and {conflicts.Count - 1} more)" : "")}; nothing was replaced");

        Directory.CreateDirectory(_final);
        // Listed before anything moves: a commit cut short still leaves every file of both runs on the list, so the next run cleans it up.
        WriteMarker(_final, previous.Union(staged));
        foreach (var old in previous.Except(staged)) DeleteWithEmptyParents(old);
        // summary.json last: a folder with a summary holds everything the summary names.
        foreach (var file in staged.OrderBy(f => f == "summary.json"))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Target(file))!);
            File.Move(Path.Combine(Staging, file), Target(file), overwrite: true);
        }
        WriteMarker(_final, staged);
        Directory.Delete(Staging, recursive: true);
        _committed = true;
    }

    string Target(string relative) => Path.Combine(_final, relative);

    void DeleteWithEmptyParents(string relative)
    {
        if (File.Exists(Target(relative))) File.Delete(Target(relative));
        foreach (var folder in AncestorsOf(relative).Reverse())
        {
            var full = Target(folder);
            if (!Directory.Exists(full) || Directory.EnumerateFileSystemEntries(full).Any()) break;
            Directory.Delete(full);
        }
    }

    /// <summary>"a/b/c.png" → "a", "a/b".</summary>
    static IEnumerable<string> AncestorsOf(string relative)
    {
        for (int slash = relative.IndexOf('/'); slash >= 0; slash = relative.IndexOf('/', slash + 1))
            yield return relative[..slash];
    }

    static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

    static HashSet<string> ReadMarker(string folder)
    {
        var marker = Path.Combine(folder, MarkerName);
        if (!File.Exists(marker)) return [];
        // Entries that would leave the folder are not Recipe's to delete, whatever the file says.
        return File.ReadAllLines(marker)
            .Where(line => line.Length > 0 && !Path.IsPathRooted(line) && !line.Split('/').Contains(".."))
            .ToHashSet(StringComparer.Ordinal);
    }

    static void WriteMarker(string folder, IEnumerable<string> files)
    {
        var marker = Path.Combine(folder, MarkerName);
        var pending = marker + ".tmp";
        File.WriteAllLines(pending, files.Order(StringComparer.Ordinal));
        File.Move(pending, marker, overwrite: true);
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
    }
}

/// <summary>An output folder that cannot be used, or could not be written without replacing a file Recipe did not write.</summary>
public sealed class OutputFolderException(string message) : IOException(message);
