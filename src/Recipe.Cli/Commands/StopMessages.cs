using Recipe.Checks;
using Spectre.Console;

namespace Recipe.Cli.Commands;

/// <summary>Prints why the recipe stopped (blocking checks that did not pass) and the non-blocking checks that failed, each with its advice.</summary>
public static class StopMessages
{
    public static void Print(IEnumerable<CheckResult> stopping) => Print(stopping, []);

    /// <summary>
    /// Stopping checks first, then failing non-blocking ones. Advice shared by several checks (one cause breaking many, e.g. a
    /// loss that rejects padded targets) is printed once, after the first check it applies to.
    /// </summary>
    public static void Print(IEnumerable<CheckResult> stopping, IEnumerable<CheckResult> failing)
    {
        var advised = new HashSet<string>();
        foreach (var stop in stopping)
        {
            AnsiConsole.MarkupLineInterpolated($"[red bold]stopped:[/] blocking check [bold]{stop.Id}[/] {stop.Verdict.Name()}: {stop.Finding}");
            PrintAdvice(stop, advised);
        }
        foreach (var fail in failing)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]failed:[/] check [bold]{fail.Id}[/] {fail.Verdict.Name()} (not blocking): {fail.Finding}");
            PrintAdvice(fail, advised);
        }
    }

    static void PrintAdvice(CheckResult check, HashSet<string> advised)
    {
        if (check.Advice is not { } advice) return;
        if (advised.Add(advice)) AnsiConsole.MarkupLineInterpolated($"  [yellow]advice:[/] {advice}");
        else AnsiConsole.MarkupLineInterpolated($"  [yellow]advice:[/] as above");
    }
}
