namespace Recipe.Reporting;

/// <summary>
/// Writes a command's outputs into a staging folder and moves them into place only when the command
/// finished, so a failed or interrupted run never leaves a folder that looks complete.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    readonly string _final;
    bool _committed;

    public OutputFolder(string path)
    {
        _final = Path.GetFullPath(path);
        Staging = Path.Combine(Path.GetDirectoryName(_final)!, $".{Path.GetFileName(_final)}.partial-{Environment.ProcessId}");
        if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
        Directory.CreateDirectory(Staging);
    }

    /// <summary>Where to write while the command runs.</summary>
    public string Staging { get; }

    public string PathOf(string file) => System.IO.Path.Combine(Staging, file);

    /// <summary>The folder the outputs end in.</summary>
    public string Final => _final;

    /// <summary>Moves every staged file into the final folder (replacing files of the same name).</summary>
    public void Commit()
    {
        Directory.CreateDirectory(_final);
        foreach (var file in Directory.GetFiles(Staging))
            File.Move(file, System.IO.Path.Combine(_final, System.IO.Path.GetFileName(file)), overwrite: true);
        foreach (var dir in Directory.GetDirectories(Staging))
        {
            var target = System.IO.Path.Combine(_final, System.IO.Path.GetFileName(dir));
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(dir, target);
        }
        Directory.Delete(Staging, recursive: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
    }
}
