using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>Options every data command takes.</summary>
public class CommonSettings : CommandSettings
{
    [CommandOption("--data <SPEC>")]
    [Description("Dataset: fashion-mnist (default; the system copy or the embedded sample), words, or a path to IDX files, a CSV file, an image folder or a text file.")]
    public string Data { get; init; } = Recipe.Data.DataSpec.DefaultSpec;

    [CommandOption("--out <DIR>")]
    [Description("Output folder for report.html and summary.json.")]
    public string Out { get; init; } = "runs/latest";

    [CommandOption("--seed <N>")]
    [Description("One seed for torch, .NET randomness and data order.")]
    [DefaultValue(0L)]
    public long Seed { get; init; }

    [CommandOption("--target <COLUMN>")]
    [Description("CSV only: the target column (default: the last column).")]
    public string? Target { get; init; }

    [CommandOption("--no-header")]
    [Description("CSV only: the first line is data, not column names; columns are then named col0, col1, … (the target is the last unless --target names another).")]
    public bool NoHeader { get; init; }

    [CommandOption("--task <KIND>")]
    [Description("CSV only: classification or regression (default: words and up to 20 distinct integers are classes, other numbers regression).")]
    [TaskOption]
    public string? Task { get; init; }

    /// <summary>--task as a task kind; null when not given.</summary>
    public Recipe.Data.TaskKind? TaskKind => TaskOptionAttribute.Parse(Task);

    [CommandOption("--image-size <PIXELS>")]
    [Description("Image folders only: side of the square images are resized to.")]
    [DefaultValue(32)]
    public int ImageSize { get; init; }

    /// <summary>Checks shared by every data command; subclasses call it first.</summary>
    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data must name a dataset (fashion-mnist, words) or a path, found an empty value");
        if (Target is not null && string.IsNullOrWhiteSpace(Target)) return ValidationResult.Error("--target must name a column, found an empty value");
        if (ImageSize is < 4 or > 1024) return ValidationResult.Error($"--image-size must be between 4 and 1024 pixels, found {ImageSize}");
        return ValidationResult.Success();
    }

    [CommandOption("--verbose")]
    [Description("Show stack traces for errors.")]
    public bool Verbose { get; init; }
}
