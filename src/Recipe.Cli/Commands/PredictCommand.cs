using System.ComponentModel;
using Recipe.Predict;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>`recipe predict`: a trained run's model applied to new data; predictions as CSV. Exit 2 for data the model cannot take.</summary>
public sealed class PredictCommand : Command<PredictCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <RUN_DIR>")]
        [Description("A run folder written by `recipe run` (model.json and the weights).")]
        public string? Model { get; init; }

        [CommandOption("--data <SPEC>")]
        [Description("Data of the kind the model was trained on: an IDX folder or file, an image folder or image file, a CSV (with or without the target column), a text file.")]
        public string? Data { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("The predictions CSV (default: RUN_DIR/predictions.csv).")]
        public string? Out { get; init; }

        [CommandOption("--threads <N>")]
        [Description("Torch intra-op threads (default: torch's).")]
        public int? Threads { get; init; }

        [CommandOption("--verbose")]
        [Description("Show stack traces for errors.")]
        public bool Verbose { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model)) return ValidationResult.Error("--model must name a run folder written by `recipe run`");
            if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data must name the data to predict");
            if (Out is not null && string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out must name a file, found an empty value");
            if (Threads is < 1) return ValidationResult.Error("--threads must be at least 1");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Threads is { } threads) TorchSharp.torch.set_num_threads(threads);
        var summary = Predictor.Run(settings.Model!, settings.Data!, settings.Out);
        AnsiConsole.MarkupLineInterpolated($"predicted {summary.Examples} examples in {summary.Seconds:F2} s ({summary.ExamplesPerSecond:F0} per second)");
        foreach (var note in summary.Notes) AnsiConsole.MarkupLineInterpolated($"[grey]{note}[/]");
        if (summary.Accuracy is { } accuracy) AnsiConsole.MarkupLineInterpolated($"accuracy: {accuracy:F4}");
        if (summary.Loss is { } loss) AnsiConsole.MarkupLineInterpolated($"loss: {loss:F4}");
        if (summary.Rmse is { } rmse) AnsiConsole.MarkupLineInterpolated($"rmse: {rmse:G5}");
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {summary.OutFile}");
        return 0;
    }
}
