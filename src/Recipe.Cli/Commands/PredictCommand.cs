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

        [CommandOption("--samples <N>")]
        [Description("Text models: draw N next-character samples (with --data too: beside the predictions, as samples.csv in RUN_DIR).")]
        public int? Samples { get; init; }

        [CommandOption("--prompt <TEXT>")]
        [Description("With --samples: the characters every sample starts with.")]
        public string? Prompt { get; init; }

        [CommandOption("--seed <N>")]
        [Description("With --samples: the seed of the draws (default 0); the same seed gives the same samples.")]
        public long Seed { get; init; }

        [CommandOption("--threads <N>")]
        [Description("Torch intra-op threads (default: torch's).")]
        public int? Threads { get; init; }

        [CommandOption("--verbose")]
        [Description("Show stack traces for errors.")]
        public bool Verbose { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model)) return ValidationResult.Error("--model must name a run folder written by `recipe run`");
            if (string.IsNullOrWhiteSpace(Data) && Samples is null) return ValidationResult.Error("--data must name the data to predict (or --samples N for a text model)");
            if (Samples is < 1) return ValidationResult.Error("--samples must be at least 1");
            if (Prompt is not null && Samples is null) return ValidationResult.Error("--prompt needs --samples N");
            if (Out is not null && string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out must name a file, found an empty value");
            if (Threads is < 1) return ValidationResult.Error("--threads must be at least 1");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Threads is { } threads) TorchSharp.torch.set_num_threads(threads);
        if (settings.Data is not null) Summarize(Predictor.Run(settings.Model!, settings.Data, settings.Out));
        if (settings.Samples is { } count)
        {
            // the samples take --out only when there are no predictions to write there
            var samples = Predictor.Sample(settings.Model!, count, settings.Prompt ?? "", settings.Seed, settings.Data is null ? settings.Out : null);
            foreach (var line in samples.Samples) AnsiConsole.WriteLine(line);
            AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {samples.Samples.Count} samples (seed {samples.Seed}) to {samples.OutFile}");
        }
        return 0;
    }

    static void Summarize(PredictionSummary summary)
    {
        AnsiConsole.MarkupLineInterpolated($"predicted {summary.Examples} examples in {summary.Seconds:F2} s ({summary.ExamplesPerSecond:F0} per second)");
        foreach (var note in summary.Notes) AnsiConsole.MarkupLineInterpolated($"[grey]{note}[/]");
        if (summary.Accuracy is { } accuracy) AnsiConsole.MarkupLineInterpolated($"accuracy: {accuracy:F4}");
        if (summary.Loss is { } loss) AnsiConsole.MarkupLineInterpolated($"loss: {loss:F4}");
        if (summary.Rmse is { } rmse) AnsiConsole.MarkupLineInterpolated($"rmse: {rmse:G5}");
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {summary.OutFile}");
    }
}
