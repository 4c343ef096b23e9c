using System.Diagnostics;
using Recipe.Bench.Corpus;
using Recipe.Checks;
using TorchSharp;

// The second-opinion corpus: every pipeline through the stage-2 checks, one row each, then the catch rate
// (buggy pipelines with a failing check that does not also fail on their correct twin) and the false-alarm
// rate (correct pipelines with a fail or an error).
//   bench/corpus [NAME ...] [--quick] [--part K/N] [--report PATH.md] [--json PATH.json] [--recipe CLI.dll]
//   bench/corpus --summarize A.json B.json [--report PATH.md]   score parts run in separate processes together
//   bench/corpus --train [NAME ...]   each pipeline's own training run, validation beside the prior (correct ones by default)
//   bench/corpus --list
// NAME picks pipelines whose name contains it; --quick uses CheckOptions.Quick; --part K/N runs every N-th
// pipeline from the K-th (N processes share a busy machine); --report writes the rows, the misses and the
// false alarms with each check's finding as markdown.

var valued = new[] { "--report", "--json", "--recipe", "--part" };
var names = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !valued.Contains(args[i - 1]))).ToList();
string? reportPath = OptionValue("--report"), jsonPath = OptionValue("--json"), recipeCli = OptionValue("--recipe"), part = OptionValue("--part");
bool quick = args.Contains("--quick");
var (partIndex, partCount) = part is null ? (1, 1) : (int.Parse(part.Split('/')[0]), int.Parse(part.Split('/')[1]));

if (args.Contains("--list"))
{
    foreach (var e in Corpus.All)
        Console.WriteLine($"{e.Name,-38} {(e.Buggy ? "buggy  " : "correct")} {e.DataKind,-26} {e.Architecture,-28} {e.Site,-9} {string.Join(",", e.ExpectedChecks)}");
    return 0;
}
if (args.Contains("--summarize"))
{
    var loaded = names.SelectMany(OutcomeFile.Load).OrderBy(o => Corpus.All.ToList().IndexOf(o.Entry)).ToList();
    var board = new Scoreboard(loaded);
    Console.WriteLine(Scoreboard.Header);
    foreach (var o in loaded) Console.WriteLine(board.Row(o));
    var summary = board.Totals(TimeSpan.Zero, $"merged from {string.Join(", ", names.Select(Path.GetFileName))}");
    Console.WriteLine();
    Console.WriteLine(summary);
    if (reportPath is not null) File.WriteAllText(reportPath, board.Report(summary));
    return 0;
}

var chosen = Corpus.All.Where(e => names.Count == 0 || names.Any(n => e.Name.Contains(n, StringComparison.Ordinal)))
    .Where((_, i) => i % partCount == partIndex - 1).ToList();
if (chosen.Count == 0) { Console.Error.WriteLine($"no corpus pipeline matches {string.Join(" ", names)} (see --list)"); return 2; }

Recipe.Native.TorchRuntime.EnsureLoadable();
torch.set_num_threads(1); // the machine is shared; one thread is what the project measures with
if (args.Contains("--train"))
{
    // Proof that the pipelines train (the correct ones must beat the prior clearly): no checks, just each one's own run.
    foreach (var entry in chosen.Where(e => names.Count > 0 || !e.Buggy))
        Console.WriteLine(TrainingProof.Run(entry));
    return 0;
}

recipeCli ??= FindRecipeCli();
var options = quick ? CheckOptions.Quick : new CheckOptions();
var clock = Stopwatch.StartNew();
var outcomes = new List<EntryOutcome>();
Console.WriteLine(Scoreboard.Header);
foreach (var entry in chosen)
{
    var outcome = entry.FreshProcess
        ? recipeCli is null
            ? new EntryOutcome(entry, [], TimeSpan.Zero, "needs the recipe command built in Release (dotnet build src/Recipe.Cli -c Release) or --recipe PATH")
            : FreshProcessRunner.Run(entry, recipeCli, quick)
        : InProcessRunner.Run(entry, options);
    outcomes.Add(outcome);
    Console.WriteLine(new Scoreboard(outcomes).Row(outcome));
    if (jsonPath is not null) OutcomeFile.Save(jsonPath, outcomes); // after every pipeline: a long run interrupted keeps its rows
}

var scoreboard = new Scoreboard(outcomes);
string totals = scoreboard.Totals(clock.Elapsed, quick ? "CheckOptions.Quick" : "default CheckOptions");
Console.WriteLine();
Console.WriteLine(totals);
if (reportPath is not null) File.WriteAllText(reportPath, scoreboard.Report(totals));
return 0;

string? OptionValue(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static string? FindRecipeCli()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (!File.Exists(Path.Combine(folder.FullName, "Recipe.slnx"))) continue;
        var cli = Path.Combine(folder.FullName, "src/Recipe.Cli/bin/Release/net10.0/Recipe.Cli.dll");
        return File.Exists(cli) ? cli : null;
    }
    return null;
}
