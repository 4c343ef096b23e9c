using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// `recipe regularize`: stages 1-4 alone: inspect, check the skeleton, overfit, then regularize (learning curve, the
/// regularization ladder on validation loss, the ablation). Writes the experiment log; the test split is not touched.
/// </summary>
public sealed class RegularizeCommand : Command<RegularizeCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        protected override string DefaultOut => "runs/regularize";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        var outcome = Terminal.WithProgress(progress => RunOutput.Guarded(() => RunStage.Execute("regularize", RecipeStages.Regularize, options, progress)));
        RunOutput.Stages(outcome);
        AnsiConsole.MarkupLineInterpolated($"time: {PhaseClock.Describe(outcome.Timings)}");
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json");
        return outcome.ExitCode == ExitCodes.Passed && outcome.Checks is { } judged ? judged.ExitCode : outcome.ExitCode;
    }
}
