namespace Recipe.Native;

/// <summary>
/// Run-time half of the libtorch loading fix. Builds patch their outputs (Directory.Build.targets);
/// a packed `dotnet tool` or a copy made some other way is patched here, in place, before
/// TorchSharp first touches its native library.
/// </summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool _ready;

    /// <summary>Call before the first TorchSharp call in a process. Cheap after the first call.</summary>
    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (_ready) return;
            _ready = true;
            if (!ElfWeakVersion.SystemNeedsPatch()) return;
            foreach (var folder in CandidateFolders())
            {
                if (!Directory.Exists(folder)) continue;
                foreach (var path in Directory.EnumerateFiles(folder, ElfWeakVersion.LibraryName, SearchOption.AllDirectories))
                {
                    try { ElfWeakVersion.PatchFile(path); }
                    catch (UnauthorizedAccessException) { /* read-only install: the build-time patch is the fix there */ }
                    catch (IOException) { }
                }
            }
        }
    }

    static IEnumerable<string> CandidateFolders()
    {
        yield return AppContext.BaseDirectory;
    }
}
