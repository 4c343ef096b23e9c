using System.ComponentModel;
using Recipe.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>Options of the commands that train the default pipeline (run, check).</summary>
public class TrainingSettings : OutputSettings
{
    [CommandOption("--model <NAME>")]
    [Description("Model: linear, mlp (images, tables), embedmlp (tables), cnn, vgg, resnet (images), charconv, contextmlp, gru, transformer (text). Default: chosen from the data.")]
    public string? Model { get; init; }

    [CommandOption("--batch-size <N>")]
    [DefaultValue(128)]
    public int BatchSize { get; init; }

    [CommandOption("--lr <RATE>")]
    [Description("Adam learning rate (constant).")]
    [DefaultValue(3e-4)]
    public double LearningRate { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Torch threads (default 1: on a busy machine extra threads spin and slow training down; raise it on an idle one).")]
    [DefaultValue(1)]
    public int Threads { get; init; }

    /// <summary>More threads than this only spin: no machine Recipe runs on has that many cores to give one process.</summary>
    const int MaxThreads = 256;

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } common) return common;
        if (Model is not null && !ModelFactory.Names.Contains(Model))
            return ValidationResult.Error($"--model must be one of {string.Join(", ", ModelFactory.Names)}, found '{Model}'");
        // Checked against the data's format before anything is read: a mismatch is one line, not every check failing on it.
        if (Model is not null && ModelDataFit.Problem(Model, Data) is { } misfit) return ValidationResult.Error(misfit);
        if (BatchSize < 1) return ValidationResult.Error("--batch-size must be at least 1");
        // NaN compares false with everything, so `<= 0` alone lets it (and infinity) through to the optimizer.
        if (!double.IsFinite(LearningRate) || LearningRate <= 0) return ValidationResult.Error($"--lr must be a positive finite number, found {LearningRate}");
        if (Threads is < 1 or > MaxThreads) return ValidationResult.Error($"--threads must be from 1 to {MaxThreads}, found {Threads}");
        return ValidationResult.Success();
    }
}
