using System.Globalization;

namespace Recipe.Bench;

/// <summary>What to run and how. Defaults are what `bench/run` uses; every option is `--key value`.</summary>
public sealed record BenchOptions
{
    /// <summary>Subcommands to run, in order (loader, train, e2e, or all of them).</summary>
    public required IReadOnlyList<string> Commands { get; init; }
    /// <summary>Torch intra-op threads for every variant (TorchSharp, PyTorch, the `recipe run` child).</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Repeats per variant; null = each benchmark's own default.</summary>
    public int? Repeats { get; init; }
    /// <summary>Fewer steps and repeats: a smoke test of the harness, not a measurement.</summary>
    public bool Quick { get; init; }
    /// <summary>
    /// Leave glibc's malloc as it is (no <see cref="Recipe.Training.NativeHeap"/>): the "before" of the
    /// page-fault fix. Otherwise the process applies it up front, so every TorchSharp variant runs
    /// under the settings Recipe's trainer uses, whatever ran first.
    /// </summary>
    public bool MallocDefaults { get; init; }
    /// <summary>The Python that has Debian's python3-torch (not a pyenv or venv shim).</summary>
    public string Python { get; init; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    /// <summary>The built `recipe` command (a Release build, as `./recipe` makes it).</summary>
    public required string RecipeDll { get; init; }
    public required string JsonPath { get; init; }
    public required string Root { get; init; }

    /// <summary>
    /// Fault injection for the instrument itself: the trainer variant burns this many µs of CPU per
    /// step in an extra hook, so `overhead --trainer-delay-us 40` shows whether the benchmark sees a
    /// trainer ~3% slower (an MLP step is ~1.4 ms). 0 in every real measurement.
    /// </summary>
    public int TrainerDelayMicroseconds { get; init; }

    public int RepeatsOr(int normal) => Repeats ?? (Quick ? 2 : normal);

    public const string Usage = """
        usage: Recipe.Bench <loader|audit|train|overhead|e2e|phases|checks|cnn-layout|adam|zoo-words|zoo-images|label-errors|text-steps|all>... [--threads N] [--repeats N] [--quick] [--malloc-defaults] [--trainer-delay-us N]
                            [--python PATH] [--recipe PATH/Recipe.Cli.dll] [--json PATH]
        """;

    public static BenchOptions Parse(string[] args)
    {
        string root = FindRoot();
        var commands = new List<string>();
        var values = new Dictionary<string, string>();
        bool quick = false, mallocDefaults = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick") quick = true;
            else if (args[i] == "--malloc-defaults") mallocDefaults = true;
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
                values[args[i][2..]] = args[++i];
            }
            else commands.Add(args[i]);
        }
        var known = Benchmarks.All.Select(b => b.Name).ToArray();
        if (commands.Count == 0) throw new ArgumentException("name a benchmark");
        if (commands.Contains("all")) commands = [.. known];
        foreach (var c in commands.Where(c => !known.Contains(c)))
            throw new ArgumentException($"unknown benchmark '{c}' (known: {string.Join(", ", known)}, all)");
        foreach (var key in values.Keys.Except(["threads", "repeats", "python", "recipe", "json", "trainer-delay-us"]))
            throw new ArgumentException($"unknown option --{key}");

        var options = new BenchOptions
        {
            Commands = commands,
            Quick = quick,
            MallocDefaults = mallocDefaults,
            Root = root,
            RecipeDll = values.GetValueOrDefault("recipe") ?? Path.Combine(root, ".build", "recipe", "Recipe.Cli.dll"),
            JsonPath = values.GetValueOrDefault("json") ?? Path.Combine(root, ".build", "bench", "results.json"),
        };
        if (values.TryGetValue("threads", out var t)) options = options with { Threads = PositiveInt("threads", t) };
        if (values.TryGetValue("repeats", out var r)) options = options with { Repeats = PositiveInt("repeats", r) };
        if (values.TryGetValue("trainer-delay-us", out var d)) options = options with { TrainerDelayMicroseconds = PositiveInt("trainer-delay-us", d) };
        if (values.TryGetValue("python", out var p)) options = options with { Python = p };
        return options;
    }

    static int PositiveInt(string key, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n : throw new ArgumentException($"--{key} must be a positive whole number, found '{text}'");

    /// <summary>The checkout's root: the nearest folder upwards holding Recipe.slnx.</summary>
    static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Recipe.slnx"))) return dir.FullName;
        throw new ArgumentException("run from inside the Recipe checkout (no Recipe.slnx found above the current folder)");
    }
}
