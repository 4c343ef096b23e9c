namespace Recipe.Checks;

/// <summary>
/// A command that rebuilds the same pipeline in a new process (the recipe CLI's hidden fingerprint command,
/// or a test host's own entry point). seed-reproducible starts it to catch randomness drawn once per
/// process — an unseeded subsample in a provider, a clock-seeded generator in a static field — which two
/// runs inside one process share and therefore never disagree on. The command learns where to write, which
/// seed and how many steps through the environment (<see cref="SeedFingerprint"/>'s variables).
/// </summary>
/// <param name="FileName">The program to start (e.g. the dotnet host).</param>
/// <param name="Arguments">Its arguments, each passed as one argument (no shell quoting).</param>
public sealed record FreshProcess(string FileName, IReadOnlyList<string> Arguments)
{
    static readonly AsyncLocal<FreshProcess?> AmbientCommand = new();

    /// <summary>
    /// The command that rebuilds the pipeline the current `recipe check` checks, set by the CLI for the duration of the
    /// command (flows with the call, so parallel in-process runs never see each other's); <see cref="CheckOptions.FreshProcess"/>
    /// starts from it. Null in library use: an in-memory pipeline cannot be rebuilt elsewhere.
    /// </summary>
    public static FreshProcess? Ambient
    {
        get => AmbientCommand.Value;
        set => AmbientCommand.Value = value;
    }

    /// <summary>A .NET assembly started through the dotnet host that runs this process (the same runtime, no apphost needed).</summary>
    public static FreshProcess DotnetAssembly(string assemblyPath, IEnumerable<string> arguments) =>
        new(DotnetHost(), [assemblyPath, .. arguments]);

    /// <summary>The dotnet host: this process when it is one (dotnet test, dotnet Recipe.Cli.dll), else the one on the PATH.</summary>
    static string DotnetHost()
    {
        var path = Environment.ProcessPath;
        return path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }

    public override string ToString() => $"{FileName} {string.Join(" ", Arguments)}";
}
