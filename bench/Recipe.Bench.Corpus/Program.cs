using System.Diagnostics;
using System.Text;
using Recipe.Bench.Corpus;
using Recipe.Checks;
using TorchSharp;

// The second-opinion corpus: every pipeline through the stage-2 checks, one row each, then the catch rate
// (buggy pipelines with a failing check) and the false-alarm rate (correct pipelines with a fail or an error).
//   dotnet run -c Release --project bench/Recipe.Bench.Corpus -- [NAME ...] [--list] [--quick] [--report PATH] [--recipe CLI.dll] [--part K/N]
//   ... -- --train [NAME ...]     each pipeline's own training run, validation score beside the prior's (correct ones by default)
// NAME picks pipelines whose name contains it; --quick uses CheckOptions.Quick; --report writes the rows and
// the list of misses and false alarms (with each failing check's finding) as markdown.

var names = args.Where(a => !a.StartsWith("--")).ToList();
string? reportPath = OptionValue("--report");
if (reportPath is not null) names.Remove(reportPath);
string? recipeCli = OptionValue("--recipe");
if (recipeCli is not null) names.Remove(recipeCli);
bool quick = args.Contains("--quick");
// --part K/N: every N-th pipeline from the K-th, so N processes share the corpus (a busy machine gives each its slice)
string? part = OptionValue("--part");
if (part is not null) names.Remove(part);
var (partIndex, partCount) = part is null ? (1, 1) : (int.Parse(part.Split('/')[0]), int.Parse(part.Split('/')[1]));

var chosen = Corpus.All.Where(e => names.Count == 0 || names.Any(n => e.Name.Contains(n, StringComparison.Ordinal)))
    .Where((_, i) => i % partCount == partIndex - 1).ToList();
if (args.Contains("--list"))
{
    foreach (var e in Corpus.All)
        Console.WriteLine($"{e.Name,-38} {(e.Buggy ? "buggy  " : "correct")} {e.DataKind,-26} {e.Architecture,-26} {e.Site,-9} {string.Join(",", e.ExpectedChecks)}");
    return 0;
}
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
Console.WriteLine($"{"pipeline",-38} {"kind",-7} {"site",-9} {"expected → verdict",-46} {"failing checks",-40} {"result",-20} {"s",5}");
foreach (var entry in chosen)
{
    var outcome = entry.FreshProcess
        ? recipeCli is null
            ? new EntryOutcome(entry, [], TimeSpan.Zero, "needs the recipe command built in Release (dotnet build src/Recipe.Cli -c Release) or --recipe PATH")
            : FreshProcessRunner.Run(entry, recipeCli, quick)
        : InProcessRunner.Run(entry, options);
    outcomes.Add(outcome);
    Console.WriteLine(Row(outcome));
}

var buggy = outcomes.Where(o => o.Entry.Buggy).ToList();
var correct = outcomes.Where(o => !o.Entry.Buggy).ToList();
string totals =
    $"catch rate: {buggy.Count(o => o.Caught)}/{buggy.Count} buggy pipelines with a failing check ({Percent(buggy.Count(o => o.Caught), buggy.Count)}); " +
    $"by an expected check: {buggy.Count(o => o.CaughtAsExpected)}/{buggy.Count}\n" +
    $"false-alarm rate: {correct.Count(o => o.FalseAlarm)}/{correct.Count} correct pipelines with a fail or an error ({Percent(correct.Count(o => o.FalseAlarm), correct.Count)}); " +
    $"any fail/error on a correct pipeline: {correct.Sum(o => o.Failing.Count() + o.Errors.Count())} check results\n" +
    $"total time: {clock.Elapsed.TotalSeconds:F0} s ({(quick ? "CheckOptions.Quick" : "default CheckOptions")}, torch threads 1)";
Console.WriteLine();
Console.WriteLine(totals);
if (reportPath is not null) File.WriteAllText(reportPath, Report(outcomes, totals));
return 0;

string? OptionValue(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static string Percent(int part, int whole) => whole == 0 ? "–" : $"{100.0 * part / whole:F0} %";

static string Row(EntryOutcome o)
{
    var expected = o.Entry.Buggy ? string.Join(" ", o.Entry.ExpectedChecks.Select(id => $"{id}={o.VerdictOf(id)?.Name() ?? "?"}")) : "";
    var failing = string.Join(" ", o.Failing.Select(c => c.Id).Concat(o.Errors.Select(c => c.Id + "(error)")));
    if (o.Crash is not null) failing = o.Crash;
    return $"{o.Entry.Name,-38} {(o.Entry.Buggy ? "buggy" : "correct"),-7} {o.Entry.Site,-9} {expected,-46} {failing,-40} {o.Result,-20} {o.Elapsed.TotalSeconds,5:F1}";
}

static string Report(IReadOnlyList<EntryOutcome> outcomes, string totals)
{
    var text = new StringBuilder();
    text.AppendLine(string.Join("\n", totals.Split('\n').Select(l => "- " + l))).AppendLine();
    text.AppendLine("| pipeline | data | architecture | bug (site) | expected → verdict | failing / error checks | result | s |");
    text.AppendLine("|---|---|---|---|---|---|---|--:|");
    foreach (var o in outcomes)
    {
        var expected = string.Join(", ", o.Entry.ExpectedChecks.Select(id => $"{id} {o.VerdictOf(id)?.Name() ?? "?"}"));
        var failing = o.Crash ?? string.Join(", ", o.Failing.Select(c => c.Id).Concat(o.Errors.Select(c => c.Id + " (error)")));
        var bug = o.Entry.Buggy ? $"{o.Entry.Bug} ({o.Entry.Site.ToString().ToLowerInvariant()})" : "—";
        text.AppendLine($"| {o.Entry.Name} | {o.Entry.DataKind} | {o.Entry.Architecture} | {bug} | {expected} | {failing} | {o.Result} | {o.Elapsed.TotalSeconds:F0} |");
    }
    text.AppendLine().AppendLine("Missed bugs (no failing check), with the expected checks' findings:").AppendLine();
    foreach (var o in outcomes.Where(o => o.Entry.Buggy && !o.Caught))
    {
        text.AppendLine($"- **{o.Entry.Name}** — {o.Entry.Bug}");
        foreach (var c in o.Checks.Where(c => o.Entry.ExpectedChecks.Contains(c.Id)))
            text.AppendLine($"  - `{c.Id}` {c.Verdict.Name()}: {c.Finding}");
        if (o.Crash is not null) text.AppendLine($"  - crash: {o.Crash}");
    }
    text.AppendLine().AppendLine("Caught only by a check other than the expected ones:").AppendLine();
    foreach (var o in outcomes.Where(o => o.Caught && !o.CaughtAsExpected))
        text.AppendLine($"- **{o.Entry.Name}** — failing: {string.Join("; ", o.Failing.Select(c => $"`{c.Id}`: {c.Finding}"))}; expected " +
                        string.Join(", ", o.Checks.Where(c => o.Entry.ExpectedChecks.Contains(c.Id)).Select(c => $"`{c.Id}` {c.Verdict.Name()}")));
    text.AppendLine().AppendLine("False alarms (correct pipelines with a fail or an error):").AppendLine();
    foreach (var o in outcomes.Where(o => o.FalseAlarm))
    {
        text.AppendLine($"- **{o.Entry.Name}** ({o.Entry.DataKind}, {o.Entry.Architecture})");
        foreach (var c in o.Failing.Concat(o.Errors))
            text.AppendLine($"  - `{c.Id}` {c.Verdict.Name()}: {c.Finding}");
        if (o.Crash is not null) text.AppendLine($"  - crash: {o.Crash}");
    }
    return text.ToString();
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
