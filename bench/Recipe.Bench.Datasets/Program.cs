using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Recipe.Bench.Datasets;
using Recipe.Data;

// The real-data acceptance bench: `recipe run` with no options on public datasets of different kinds, each
// judged against a reference linear model fitted on the same split. Prints one Markdown table.
//   dotnet Recipe.Bench.Datasets.dll DATA_DIR RECIPE_DLL [NAME...]     (bench/datasets/run does all of it)
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Recipe.Bench.Datasets DATA_DIR RECIPE_DLL [NAME...]");
    return 2;
}
string dataDir = args[0], recipeDll = args[1];
var only = args.Skip(2).ToHashSet();
Recipe.Native.TorchRuntime.EnsureLoadable();
TorchSharp.torch.set_num_threads(1);

var rows = new List<string>();
bool allMet = true;
string scratch = Path.Combine(Path.GetTempPath(), $"recipe-bench-datasets-{Environment.ProcessId}");
foreach (var entry in Catalog.Entries.Where(e => only.Count == 0 || only.Contains(e.Name)))
{
    string spec = entry.BuiltIn ? entry.Spec : Path.Combine(dataDir, entry.Spec);
    ReferenceScore reference;
    int examples;
    using (var data = DataSpec.Load(spec))
    {
        examples = data.Splits.Sum(s => s.Count);
        reference = ReferenceModels.Fit(data);
    }
    Console.Error.WriteLine($"datasets: {entry.Name}: {reference.Name} {reference.MetricName} {reference.Metric:F4} ({reference.Chosen}); running recipe run...");
    string outFolder = Path.Combine(scratch, entry.Name);
    var clock = Stopwatch.StartNew();
    var process = Process.Start(new ProcessStartInfo("dotnet", [recipeDll, "run", "--data", spec, "--out", outFolder])
    {
        RedirectStandardOutput = true, RedirectStandardError = true,
    })!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    double seconds = clock.Elapsed.TotalSeconds;
    var outcome = RunSummary.Read(Path.Combine(outFolder, "summary.json"), reference.MetricName);
    bool met = process.ExitCode == 0 && outcome.Metric is { } m && (reference.MetricName == "test accuracy" ? m >= reference.Metric : m <= reference.Metric);
    allMet &= met;
    if (process.ExitCode != 0) Console.Error.WriteLine($"datasets: {entry.Name}: exit {process.ExitCode}\n{Tail(stdout.Result)}\n{Tail(stderr.Result)}");
    rows.Add($"| {entry.Name} | {entry.Kind} | {examples:N0} | {process.ExitCode} | {Show(outcome.Metric)} | {reference.Name} ({reference.Chosen}): {Show(reference.Metric)} | " +
             $"{(met ? "yes" : "**NO**")} | {outcome.Extra} | {outcome.Training} | {seconds:F0} s | {outcome.Findings} | {outcome.NotPassing} |");
    Console.Error.WriteLine($"datasets: {rows[^1]}");
}
if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);

var table = new StringBuilder();
table.AppendLine("| dataset | kind | examples | exit | Recipe (test) | reference on the same split (test) | at least as good | other test metrics | training | wall | stage 1 findings | checks not passing |");
table.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var row in rows) table.AppendLine(row);
Console.Write(table);
return allMet ? 0 : 1;

static string Show(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(12));

/// <summary>The public datasets of the bench, in the forms bench/datasets/make-datasets.py writes them.</summary>
static class Catalog
{
    public static readonly (string Name, string Kind, string Spec, bool BuiltIn)[] Entries =
    [
        ("iris", "table, 3 classes", "iris.csv", false),
        ("wine", "table, 3 classes", "wine.csv", false),
        ("breast-cancer", "table, 2 classes", "breast-cancer.csv", false),
        ("digits-csv", "table, 10 classes, 64 columns", "digits.csv", false),
        ("diabetes", "table, regression", "diabetes.csv", false),
        ("boston", "table, regression", "boston.csv", false),
        ("digits-png", "image folder, 10 classes", "digits-png", false),
        ("licenses", "text, one sequence per line", "licenses.txt", false),
        ("words", "text, one word per line", "words", true),
        ("wine-alcohol", "table, regression (alcohol)", "wine-alcohol.csv", false),
        ("digits-3-8", "table, 2 classes, 64 columns", "digits-3-8.csv", false),
        ("fashion-png", "image folder, 10 classes, 28x28", "fashion-png", false),
        ("gpl-3", "text, one license", "gpl-3.txt", false),
    ];
}

/// <summary>What a `recipe run` wrote to summary.json, reduced to the table's cells.</summary>
sealed record RunSummary(double? Metric, string Extra, string Training, string Findings, string NotPassing)
{
    public static RunSummary Read(string path, string metricName)
    {
        if (!File.Exists(path)) return new(null, "", "no summary.json", "", "");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var metrics = json["metrics"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.GetValue<double>()) ?? [];
        double? Get(string key) => metrics.TryGetValue(key, out var v) ? v : null;
        double? metric = metricName switch
        {
            "test accuracy" => Get("test_accuracy"),
            "test RMSE" => Get("test_rmse"),
            _ => Get("test_loss"),
        };
        string extra = string.Join(", ", metrics.Where(p => p.Key.StartsWith("test_") && p.Value is not null)
            .Select(p => $"{p.Key[5..]} {p.Value!.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
        var training = json["training"];
        // the model the run kept: on a table the default MLP or the simpler linear model (summary.json's model_choice)
        string trainingCell = training is null ? "not trained" : $"{json["model"]}: {training["steps"]} steps, {training["stop_reason"] ?? training["stopReason"]}";
        var findings = json["findings"];
        string findingsCell = findings is null ? "" : $"{findings["count"]}: " + string.Join(", ",
            (findings["by_kind"] ?? findings["byKind"])?.AsObject().Select(p => $"{p.Key} {p.Value}") ?? []);
        var notPassing = json["checks"]?.AsArray()
            .Where(c => c?["verdict"]?.ToString() is { } v && v != "pass" && v != "skipped")
            .Select(c => $"{c!["id"]} ({c["verdict"]})") ?? [];
        return new(metric, extra, trainingCell, findingsCell, string.Join(", ", notPassing));
    }
}
