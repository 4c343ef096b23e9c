using System.ComponentModel;
using Recipe.Checks;
using Recipe.Models;
using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>`recipe run`: train, evaluate on the whole test split, report. Exit codes: see <see cref="ExitCodes"/>.</summary>
public sealed class RunCommand : Command<RunCommand.Settings>
{
    public sealed class Settings : TrainingSettings
    {
        [CommandOption("--epochs <N>")]
        [Description("Passes over the training data, exactly (default: until validation stops improving, within a compute budget and --budget).")]
        public int? Epochs { get; init; }

        [CommandOption("--budget <TIME>")]
        [Description("Wall-clock limit of the run, e.g. 90s, 10m, 1h30m; training stops when it is used up (default: none).")]
        public string? Budget { get; init; }

        [CommandOption("--skip-inspect")]
        [Description("Skip stage 1's data audit.")]
        public bool SkipInspect { get; init; }

        [CommandOption("--skip-checks")]
        [Description("Skip stage 2's checks (only when they already passed on this exact pipeline).")]
        public bool SkipChecks { get; init; }

        [CommandOption("--quick-checks")]
        [Description("Smaller budgets for stage 2's checks: faster, weaker evidence.")]
        public bool QuickChecks { get; init; }

        [CommandOption("--label-errors")]
        [Description("Search the training split for suspected label errors (4-fold confident learning: 4 short extra trainings); writes suspected_labels.csv.")]
        public bool LabelErrors { get; init; }

        [CommandOption("--learning-curve")]
        [Description("Measure the learning curve (train on 10/25/50/100 % of the training split, 2 seeds each) and fit a power law: what 2x the data would buy.")]
        public bool LearningCurve { get; init; }

        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } common) return common;
            if (Epochs is < 1) return ValidationResult.Error("--epochs must be at least 1");
            if (Budget is not null && WallClock.Parse(Budget) is null)
                return ValidationResult.Error($"--budget must be a positive duration such as 90s, 10m or 1h30m, found '{Budget}'");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new RunOptions
        {
            Data = settings.Data, Out = settings.OutFolder, Seed = settings.Seed, Model = settings.Model, Epochs = settings.Epochs,
            Budget = settings.Budget is null ? null : WallClock.Parse(settings.Budget),
            BatchSize = settings.BatchSize, LearningRate = settings.LearningRate, TargetColumn = settings.Target, ImageSize = settings.ImageSize, NoHeader = settings.NoHeader, Task = settings.TaskKind,
            SkipInspect = settings.SkipInspect, SkipChecks = settings.SkipChecks, QuickChecks = settings.QuickChecks, Threads = settings.Threads,
            Mistakes = new Recipe.Diagnostics.MistakesOptions
            {
                LabelErrors = settings.LabelErrors ? new Recipe.Diagnostics.LabelErrorOptions() : null,
                LearningCurve = settings.LearningCurve ? new Recipe.Diagnostics.LearningCurveOptions() : null,
            },
        };
        var outcome = Terminal.WithProgress(progress => RunStage.Execute(options, progress));
        if (outcome.Findings is { } findings)
            AnsiConsole.MarkupLineInterpolated($"stage 1: {findings.Count} findings ({string.Join(", ", findings.GroupBy(f => f.Kind).Select(g => $"{g.Key} {g.Count()}"))}); see inspect/report.html");
        if (outcome.Checks is { } checks)
        {
            var failing = checks.Checks.Where(c => c.Verdict is not Verdict.Pass and not Verdict.Skipped).ToList();
            var notPassing = failing.Count > 0 ? $"; not passing: {string.Join(", ", failing.Select(c => $"{c.Id} ({c.Verdict.Name()})"))}" : "";
            AnsiConsole.MarkupLineInterpolated($"checks: {checks.Checks.Count(c => c.Verdict == Verdict.Pass)} of {checks.Checks.Count} passed{notPassing}");
            StopMessages.Print(checks.Stopping, checks.Failing);
        }
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
