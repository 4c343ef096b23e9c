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

        [CommandOption("--skip-regularize")]
        [Description("Skip stage 4's regularization experiments: train stage 3's best as it is.")]
        public bool SkipRegularize { get; init; }

        [CommandOption("--label-errors")]
        [Description("Search the training split for suspected label errors (4-fold confident learning: 4 short extra trainings); writes suspected_labels.csv.")]
        public bool LabelErrors { get; init; }

        [CommandOption("--learning-curve")]
        [Description("Measure the learning curve (train on 10/25/50/100 % of the training split, 2 seeds each) and fit a power law: what 2x the data would buy.")]
        public bool LearningCurve { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions() with
        {
            SkipOverfit = settings.SkipOverfit,
            SkipRegularize = settings.SkipRegularize,
            Mistakes = new Recipe.Diagnostics.MistakesOptions
            {
                LabelErrors = settings.LabelErrors ? new Recipe.Diagnostics.LabelErrorOptions() : null,
                LearningCurve = settings.LearningCurve ? new Recipe.Diagnostics.LearningCurveOptions() : null,
            },
        };
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
