using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// A command that runs the recipe's stage list cut before the final training (`recipe overfit`, `recipe regularize`):
/// the same run, the same outputs, only fewer stages — so each such command is its name and its cut, nothing more.
/// </summary>
public abstract class PartialRecipeCommand<TSettings> : Command<TSettings> where TSettings : RunSettings
{
    /// <summary>The command's name, as the run records it.</summary>
    protected abstract string Name { get; }

    /// <summary>The stages it runs, in order.</summary>
    protected abstract IReadOnlyList<IRecipeStage> Stages { get; }

    public override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        var outcome = Terminal.WithProgress(progress => RunOutput.Guarded(() => RunStage.Execute(Name, Stages, options, progress)));
        RunOutput.Stages(outcome);
        AnsiConsole.MarkupLineInterpolated($"time: {PhaseClock.Describe(outcome.Timings)}");
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json");
        return outcome.ExitCode == ExitCodes.Passed && outcome.Checks is { } judged ? judged.ExitCode : outcome.ExitCode;
    }
}
