using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Recipe.Bench;

/// <summary>
/// Wall time of `recipe run` as a user meets it: a child process of the built command, from start to
/// exit (runtime start-up, data loading, stage 2's checks, training for the default epochs, whole-split evaluation, report). The two datasets
/// take turns, with `recipe --help` (start-up alone) before them in each round. The child gets the
/// same torch thread count as the other benchmarks (OMP_NUM_THREADS).
/// </summary>
public sealed class EndToEndBenchmark : IBenchmark
{
    static readonly (string Spec, string Label)[] Datasets =
    [
        ("fashion-mnist-sample", "embedded sample (6k train)"),
        ("fashion-mnist", "full Fashion-MNIST (54k train)"),
    ];

    public string Name => "e2e";
    public string Description => "wall time of `recipe run` (child process) on the embedded sample and on full Fashion-MNIST";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        if (!File.Exists(options.RecipeDll))
            throw new InvalidOperationException($"{options.RecipeDll} is missing: build it with ./recipe --help (or bench/run), or pass --recipe");
        string scratch = Path.Combine(Path.GetTempPath(), $"recipe-bench-e2e-{Environment.ProcessId}");
        int repeats = options.RepeatsOr(3);
        var datasets = options.Quick ? Datasets[..1] : Datasets; // a smoke test skips the minute-long full run
        var wall = datasets.ToDictionary(d => d.Spec, _ => new List<double>());
        var training = datasets.ToDictionary(d => d.Spec, _ => new List<double>());
        var accuracy = datasets.ToDictionary(d => d.Spec, _ => new List<double>());
        var phases = datasets.ToDictionary(d => d.Spec, _ => new Dictionary<string, List<double>>());
        var startup = new List<double>();
        try
        {
            for (int r = 0; r < repeats; r++)
            {
                startup.Add(Time(options, ["--help"]));
                foreach (var (spec, _) in datasets)
                {
                    var (seconds, trainingSeconds, testAccuracy, phaseSeconds) = RunOnce(options, spec, Path.Combine(scratch, $"{spec}-{r}"));
                    wall[spec].Add(seconds);
                    foreach (var (phase, value) in phaseSeconds)
                    {
                        if (!phases[spec].TryGetValue(phase, out var values)) phases[spec][phase] = values = [];
                        values.Add(value);
                    }
                    training[spec].Add(trainingSeconds);
                    accuracy[spec].Add(testAccuracy);
                    Log.Line($"e2e: run {r + 1}/{repeats}: recipe run --data {spec}: {seconds:F1} s wall, {trainingSeconds:F1} s training, test accuracy {testAccuracy:P2}");
                }
            }
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }

        var rows = new List<ResultRow> { new("e2e start-up", "`recipe --help` wall time, s (runtime start-up, no torch)", new Sample("s", startup)) };
        foreach (var (spec, label) in datasets)
        {
            var w = new Sample("s", wall[spec]);
            var t = new Sample("s", training[spec]);
            rows.Add(new ResultRow($"e2e {spec}", $"`recipe run` wall time, s ({label}: stage 2 checks, then cnn training, default epochs)", w));
            rows.Add(new ResultRow($"e2e {spec}", "training ÷ wall time (the rest: start-up, loading, evaluation, report)", t.Over(w)));
            // where the wall time went, as `recipe run` books it in summary.json (start-up is the rest)
            foreach (var (phase, values) in phases[spec])
                rows.Add(new ResultRow($"e2e {spec}", $"  phase: {phase}, s", new Sample("s", values)));
            // the same seed every round: the spread shows run-to-run determinism, not seed variance
            rows.Add(new ResultRow($"e2e {spec}", "test accuracy, % (seed 0; speed must not cost accuracy)", new Sample("%", accuracy[spec].Select(a => 100 * a).ToArray())));
        }
        return rows;
    }

    /// <summary>
    /// Runs `recipe run` once; returns its wall time, and the training time, test accuracy and seconds
    /// per phase it reports in summary.json.
    /// </summary>
    static (double Wall, double Training, double TestAccuracy, IReadOnlyList<(string Phase, double Seconds)> Phases) RunOnce(BenchOptions options, string spec, string outFolder)
    {
        double wall = Time(options, ["run", "--data", spec, "--out", outFolder, "--seed", "0"]);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outFolder, "summary.json")))!;
        var phases = summary["timings_seconds"]!.AsObject().Select(p => (p.Key, p.Value!.GetValue<double>())).ToList();
        return (wall, summary["training"]!["seconds"]!.GetValue<double>(), summary["metrics"]!["test_accuracy"]!.GetValue<double>(), phases);
    }

    /// <summary>Wall seconds of `recipe ARGS` from process start to exit; throws when it fails.</summary>
    static double Time(BenchOptions options, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(options.RecipeDll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["OMP_NUM_THREADS"] = options.Threads.ToString();
        info.Environment["MKL_NUM_THREADS"] = options.Threads.ToString();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(); // drained, so a chatty child never blocks
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"recipe {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        return wall;
    }
}
