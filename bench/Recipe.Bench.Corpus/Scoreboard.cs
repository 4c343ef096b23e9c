using System.Text;
using Recipe.Checks;

namespace Recipe.Bench.Corpus;

/// <summary>
/// Scores a set of outcomes: the catch rate three ways (any failing check; a failing check that does not also
/// fail or error on the bug's correct twin; one of the declared checks), the false-alarm rate, and the markdown
/// report with the rows, the misses and the false alarms with each check's finding.
/// </summary>
public sealed class Scoreboard(IReadOnlyList<EntryOutcome> outcomes)
{
    readonly Dictionary<string, EntryOutcome> _byName = outcomes.ToDictionary(o => o.Entry.Name);

    /// <summary>The failing checks of a buggy pipeline that pass (or warn, or skip) on its twin; all of them when the twin did not run.</summary>
    public IReadOnlyList<string> Distinguishing(EntryOutcome buggy)
    {
        var failing = buggy.Failing.Select(c => c.Id).ToList();
        if (buggy.Entry.Twin is not { } twin || !_byName.TryGetValue(twin, out var correct)) return failing;
        return failing.Where(id => correct.VerdictOf(id) is not (Verdict.Fail or Verdict.Error)).ToList();
    }

    public string Result(EntryOutcome o) => o.Crash is not null ? "CRASH"
        : !o.Entry.Buggy ? o.FalseAlarm ? "FALSE ALARM" : "clean"
        : o.CaughtAsExpected && Distinguishing(o).Any(o.Entry.ExpectedChecks.Contains) ? "caught"
        : Distinguishing(o).Count > 0 ? "caught (other check)"
        : o.Caught ? "MISSED (fails as its twin)" : "MISSED";

    public string Totals(TimeSpan elapsed, string options)
    {
        var buggy = outcomes.Where(o => o.Entry.Buggy).ToList();
        var correct = outcomes.Where(o => !o.Entry.Buggy).ToList();
        int any = buggy.Count(o => o.Caught), distinguished = buggy.Count(o => Distinguishing(o).Count > 0), expected = buggy.Count(o => o.CaughtAsExpected);
        int alarms = correct.Count(o => o.FalseAlarm);
        return $"catch rate: {distinguished}/{buggy.Count} buggy pipelines with a failing check that does not also fail on the correct twin ({Percent(distinguished, buggy.Count)}); " +
               $"with any failing check {any}/{buggy.Count}; by a declared check {expected}/{buggy.Count}\n" +
               $"false-alarm rate: {alarms}/{correct.Count} correct pipelines with a fail or an error ({Percent(alarms, correct.Count)}; " +
               $"{correct.Count(o => o.Failing.Any())} with a fail, {correct.Count(o => o.Errors.Any())} with an error, {correct.Sum(o => o.Failing.Count() + o.Errors.Count())} check results)\n" +
               $"time: {outcomes.Sum(o => o.Elapsed.TotalSeconds):F0} s summed over pipelines" + (elapsed > TimeSpan.Zero ? $", {elapsed.TotalSeconds:F0} s wall" : "") + $" ({options}, torch threads 1)";
    }

    public string Row(EntryOutcome o)
    {
        var expected = o.Entry.Buggy ? string.Join(" ", o.Entry.ExpectedChecks.Select(id => $"{id}={o.VerdictOf(id)?.Name() ?? "?"}")) : "";
        var failing = o.Crash ?? string.Join(" ", o.Failing.Select(c => c.Id).Concat(o.Errors.Select(c => c.Id + "(error)")));
        return $"{o.Entry.Name,-38} {(o.Entry.Buggy ? "buggy" : "correct"),-7} {o.Entry.Site,-9} {expected,-46} {failing,-40} {Result(o),-20} {o.Elapsed.TotalSeconds,5:F1}";
    }

    public static string Header => $"{"pipeline",-38} {"kind",-7} {"site",-9} {"expected → verdict",-46} {"failing checks",-40} {"result",-20} {"s",5}";

    public string Report(string totals)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join("\n", totals.Split('\n').Select(l => "- " + l))).AppendLine();
        text.AppendLine("| pipeline | data | architecture | bug (site) | declared check → verdict | failing / error checks | result | s |");
        text.AppendLine("|---|---|---|---|---|---|---|--:|");
        foreach (var o in outcomes)
        {
            var expected = string.Join(", ", o.Entry.ExpectedChecks.Select(id => $"{id} {o.VerdictOf(id)?.Name() ?? "?"}"));
            var failing = o.Crash ?? string.Join(", ", o.Failing.Select(c => c.Id).Concat(o.Errors.Select(c => c.Id + " (error)")));
            var bug = o.Entry.Buggy ? $"{o.Entry.Bug} ({o.Entry.Site.ToString().ToLowerInvariant()})" : "—";
            text.AppendLine($"| {o.Entry.Name} | {o.Entry.DataKind} | {o.Entry.Architecture} | {bug} | {expected} | {failing} | {Result(o)} | {o.Elapsed.TotalSeconds:F0} |");
        }
        text.AppendLine().AppendLine("Missed bugs (no failing check, or only checks that fail on the correct twin too), with the declared checks' findings:").AppendLine();
        foreach (var o in outcomes.Where(o => o.Entry.Buggy && Distinguishing(o).Count == 0))
        {
            var alsoOnTwin = o.Failing.Select(c => c.Id).ToList();
            text.AppendLine($"- **{o.Entry.Name}** — {o.Entry.Bug}" + (alsoOnTwin.Count > 0 ? $" (fails only as its twin {o.Entry.Twin} does: {string.Join(", ", alsoOnTwin)})" : ""));
            foreach (var c in o.Checks.Where(c => o.Entry.ExpectedChecks.Contains(c.Id)))
                text.AppendLine($"  - `{c.Id}` {c.Verdict.Name()}: {c.Finding}");
            if (o.Crash is not null) text.AppendLine($"  - crash: {o.Crash}");
        }
        text.AppendLine().AppendLine("Caught, but not by a declared check:").AppendLine();
        foreach (var o in outcomes.Where(o => o.Entry.Buggy && Result(o) == "caught (other check)"))
            text.AppendLine($"- **{o.Entry.Name}** — distinguishing: {string.Join("; ", Distinguishing(o).Select(id => $"`{id}`: {o.Checks.First(c => c.Id == id).Finding}"))}; declared " +
                            string.Join(", ", o.Checks.Where(c => o.Entry.ExpectedChecks.Contains(c.Id)).Select(c => $"`{c.Id}` {c.Verdict.Name()}: {c.Finding}")));
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

    static string Percent(int part, int whole) => whole == 0 ? "–" : $"{100.0 * part / whole:F0} %";
}
