using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// `recipe overfit`: stages 1-3 alone: inspect, check the skeleton, then grow it one predicted change at a time until
/// the training loss is near its floor. Writes the experiment log and the capacity-ladder picture; no test evaluation.
/// </summary>
public sealed class OverfitCommand : Command<OverfitCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        protected override string DefaultOut => "runs/overfit";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        var outcome = Terminal.WithProgress(progress => RunOutput.Guarded(() => RunStage.Execute("overfit", RecipeStages.Overfit, options, progress)));
        RunOutput.Stages(outcome);
        AnsiConsole.MarkupLineInterpolated($"time: {PhaseClock.Describe(outcome.Timings)}");
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json");
        return outcome.ExitCode == ExitCodes.Passed && outcome.Checks is { } judged ? judged.ExitCode : outcome.ExitCode;
    }
}
