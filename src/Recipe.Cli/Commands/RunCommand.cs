using System.ComponentModel;
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

        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } common) return common;
            if (Model is not null && !ModelFactory.Names.Contains(Model))
                return ValidationResult.Error($"--model must be one of {string.Join(", ", ModelFactory.Names)}, found '{Model}'");
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
        };
        var outcome = Terminal.WithProgress(progress => RunStage.Execute(options, progress));
        var table = new Table().AddColumn("metric").AddColumn("value");
        foreach (var (name, value) in outcome.Metrics) table.AddRow(name, value.ToString("F4"));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json");
        return outcome.ExitCode;
    }
}
