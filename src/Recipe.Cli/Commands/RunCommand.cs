using System.ComponentModel;
using Recipe.Checks;
using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>`recipe run`: stages 1-3, train the chosen pipeline, evaluate on the whole test split, report. Exit codes: see <see cref="ExitCodes"/>.</summary>
public sealed class RunCommand : Command<RunCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        [CommandOption("--skip-overfit")]
        [Description("Skip stage 3's experiments: train the skeleton as it is.")]
        public bool SkipOverfit { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions() with { SkipOverfit = settings.SkipOverfit };
        var outcome = Terminal.WithProgress(progress => RunOutput.Guarded(() => RunStage.Execute(options, progress)));
        RunOutput.Stages(outcome);
        var table = new Table().AddColumn("metric").AddColumn("value");
        foreach (var (name, value) in outcome.Metrics) table.AddRow(name, value.ToString("F4"));
        AnsiConsole.Write(table);
        if (outcome.Training is { } training)
            AnsiConsole.MarkupLineInterpolated($"training: {training.Steps} steps, stopped: {training.StopReason}");
        AnsiConsole.MarkupLineInterpolated($"time: {PhaseClock.Describe(outcome.Timings)}");
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json");
        // A run that trained to the end still tells a script when a non-blocking check (or the trained-model verdict) failed.
        return outcome.ExitCode == ExitCodes.Passed && outcome.Checks is { } judged ? judged.ExitCode : outcome.ExitCode;
    }
}
