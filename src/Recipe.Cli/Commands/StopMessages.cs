using Recipe.Checks;
using Spectre.Console;

namespace Recipe.Cli.Commands;

/// <summary>Prints why the recipe stopped: each blocking check that did not pass, with its advice.</summary>
public static class StopMessages
{
    public static void Print(IEnumerable<CheckResult> stopping)
    {
        foreach (var stop in stopping)
        {
            AnsiConsole.MarkupLineInterpolated($"[red bold]stopped:[/] blocking check [bold]{stop.Id}[/] {stop.Verdict.Name()}: {stop.Finding}");
            if (stop.Advice is { } advice) AnsiConsole.MarkupLineInterpolated($"  [yellow]advice:[/] {advice}");
        }
    }
}
