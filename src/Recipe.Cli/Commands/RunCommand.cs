using System.ComponentModel;
using Recipe.Checks;
using Recipe.Models;
using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>`recipe run`: train, evaluate on the whole test split, report.</summary>
public sealed class RunCommand : Command<RunCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("--model <NAME>")]
        [Description("Model: linear, mlp, cnn (images), charconv (text). Default: chosen from the data.")]
        public string? Model { get; init; }

        [CommandOption("--epochs <N>")]
        [Description("Passes over the training data (default: about 800 steps, 1 to 10 epochs).")]
        public int? Epochs { get; init; }

        [CommandOption("--batch-size <N>")]
        [DefaultValue(128)]
        public int BatchSize { get; init; }

        [CommandOption("--lr <RATE>")]
        [Description("Adam learning rate (constant).")]
        [DefaultValue(3e-4)]
        public double LearningRate { get; init; }

        [CommandOption("--skip-checks")]
        [Description("Skip stage 2's checks (only when they already passed on this exact pipeline).")]
        public bool SkipChecks { get; init; }

        [CommandOption("--quick-checks")]
        [Description("Smaller budgets for stage 2's checks: faster, weaker evidence.")]
        public bool QuickChecks { get; init; }

        [CommandOption("--threads <N>")]
        [Description("Torch threads (default 1, as recipe check: on a busy machine extra threads spin and slow training down; raise it on an idle one).")]
        [DefaultValue(1)]
        public int Threads { get; init; }

        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } common) return common;
            if (Model is not null && !ModelFactory.Names.Contains(Model))
                return ValidationResult.Error($"--model must be one of {string.Join(", ", ModelFactory.Names)}, found '{Model}'");
            if (Threads < 1) return ValidationResult.Error("--threads must be at least 1");
            if (Epochs is < 1) return ValidationResult.Error("--epochs must be at least 1");
            if (BatchSize < 1) return ValidationResult.Error("--batch-size must be at least 1");
            if (LearningRate <= 0) return ValidationResult.Error("--lr must be positive");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new RunOptions
        {
            Data = settings.Data, Out = settings.Out, Seed = settings.Seed, Model = settings.Model, Epochs = settings.Epochs,
            BatchSize = settings.BatchSize, LearningRate = settings.LearningRate, TargetColumn = settings.Target, ImageSize = settings.ImageSize,
            SkipChecks = settings.SkipChecks, QuickChecks = settings.QuickChecks, Threads = settings.Threads,
        };
        var outcome = Terminal.WithProgress(progress => RunStage.Execute(options, progress));
        if (outcome.Checks is { } checks)
        {
            var failing = checks.Checks.Where(c => c.Verdict is not Verdict.Pass and not Verdict.Skipped).ToList();
            var notPassing = failing.Count > 0 ? $"; not passing: {string.Join(", ", failing.Select(c => $"{c.Id} ({c.Verdict.Name()})"))}" : "";
            AnsiConsole.MarkupLineInterpolated($"stage 2: {checks.Checks.Count(c => c.Verdict == Verdict.Pass)} of {checks.Checks.Count} checks passed{notPassing}");
            foreach (var stop in checks.Stopping)
            {
                AnsiConsole.MarkupLineInterpolated($"[red bold]stopped:[/] blocking check [bold]{stop.Id}[/] {stop.Verdict.Name()}: {stop.Finding}");
                if (stop.Advice is { } advice) AnsiConsole.MarkupLineInterpolated($"  [yellow]advice:[/] {advice}");
            }
        }
        var table = new Table().AddColumn("metric").AddColumn("value");
        foreach (var (name, value) in outcome.Metrics) table.AddRow(name, value.ToString("F4"));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json");
        return outcome.ExitCode;
    }
}
