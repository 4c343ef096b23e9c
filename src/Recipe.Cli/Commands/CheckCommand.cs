using System.ComponentModel;
using Recipe.Checks;
using Recipe.Models;
using Recipe.Reporting;
using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// `recipe check`: stage 2's sanity checks and dumb baselines on the default pipeline (or the user's), ranked. Exit codes
/// (<see cref="ExitCodes"/>): 0 passed, 1 a blocking check failed, 2 bad input, 4 passed with non-blocking failures.
/// </summary>
public sealed class CheckCommand : Command<CheckCommand.Settings>
{
    public sealed class Settings : TrainingSettings
    {
        [CommandOption("--epochs <N>")]
        [Description("Epochs of the planned run (the learning-rate schedule is audited over it).")]
        [DefaultValue(2)]
        public int Epochs { get; init; }

        [CommandOption("--steps <N>")]
        [Description("Steps of the short training run the baselines and dynamics share (default 400, batch 32).")]
        public int? Steps { get; init; }

        [CommandOption("--pipeline <DLL>")]
        [Description("Check your own pipeline: a .dll compiled against Recipe with a public IPipelineProvider (see examples/ExamplePipeline).")]
        public string? Pipeline { get; init; }

        [CommandOption("--pipeline-class <NAME>")]
        [Description("The IPipelineProvider to use when the .dll holds several.")]
        public string? PipelineClass { get; init; }

        [CommandOption("--quick")]
        [Description("Smaller budgets for every check: a fast smoke test with weaker evidence.")]
        public bool Quick { get; init; }

        protected override string DefaultOut => "runs/check";

        public override ValidationResult Validate()
        {
            // A user pipeline brings its own model: --model would be silently ignored, and checked against the wrong thing.
            if (Pipeline is not null && Model is not null) return ValidationResult.Error("--model has no effect with --pipeline (the pipeline brings its own model); drop one of them");
            if (base.Validate() is { Successful: false } common) return common;
            if (Epochs < 1) return ValidationResult.Error("--epochs must be at least 1");
            if (Steps is < 10) return ValidationResult.Error("--steps must be at least 10");
            if (Pipeline is not null && !File.Exists(Pipeline))
                return ValidationResult.Error($"--pipeline {Pipeline}: expected a compiled pipeline (.dll), found {(Directory.Exists(Pipeline) ? "a folder" : "nothing there")}");
            if (PipelineClass is not null && Pipeline is null) return ValidationResult.Error("--pipeline-class needs --pipeline (the .dll that holds the class)");
            if (PipelineClass is not null && string.IsNullOrWhiteSpace(PipelineClass)) return ValidationResult.Error("--pipeline-class must name a class, found an empty value");
            return ValidationResult.Success();
        }
    }

    /// <summary>Options that describe the default pipeline; a user's pipeline sets these itself, so they are refused with --pipeline.</summary>
    static readonly string[] DefaultPipelineOnly = ["--model", "--epochs", "--batch-size", "--lr"];

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var given = context.Arguments.Select(a => a.Split('=')[0]).ToHashSet();
        if (settings.Pipeline is not null && DefaultPipelineOnly.Where(given.Contains).ToList() is { Count: > 0 } ignored)
            throw new UsageException($"{string.Join(", ", ignored)} cannot be used with --pipeline: the pipeline sets its own model, epochs, batch size " +
                                     "and optimizer (Pipeline.CreateModel, Training, CreateOptimizer); remove the option or change the pipeline");
        var options = new CheckRunOptions
        {
            Data = settings.Data, Out = settings.OutFolder, Force = settings.Force, Model = settings.Model,
            // Without --seed a user's pipeline keeps its own Training.Seed; with it, the run says it replaced that seed.
            Seed = settings.Pipeline is null || given.Contains("--seed") ? settings.Seed : null,
            Epochs = settings.Epochs, BatchSize = settings.BatchSize, LearningRate = settings.LearningRate, Steps = settings.Steps,
            TargetColumn = settings.Target, ImageSize = settings.ImageSize, NoHeader = settings.NoHeader, Task = settings.TaskKind,
            PipelinePath = settings.Pipeline, PipelineClass = settings.PipelineClass, Quick = settings.Quick, Threads = settings.Threads,
        };
        var outcome = Terminal.WithProgress(progress => CheckStage.Execute(options, progress));
        var stage = outcome.Stage;

        var table = new Table().AddColumn("#").AddColumn("verdict").AddColumn("check").AddColumn("blocking").AddColumn("what was found");
        int rank = 0;
        foreach (var check in stage.Checks.OrderBy(c => c.Rank))
            table.AddRow((++rank).ToString(), Badge(check.Verdict), Markup.Escape(check.Id), check.Blocking ? "yes" : "no", Markup.Escape(CheckHeadline.Outcome(check)));
        AnsiConsole.Write(table);
        if (stage.Metrics.Count > 0)
            AnsiConsole.MarkupLineInterpolated($"[bold]baselines (validation):[/] {string.Join(", ", stage.Metrics.Where(m => m.Key.EndsWith("accuracy") || !stage.Metrics.Keys.Any(k => k.EndsWith("accuracy"))).Select(m => $"{m.Key} {m.Value:0.####}"))}");
        foreach (var note in outcome.Notes) AnsiConsole.MarkupLineInterpolated($"[grey]note:[/] {note}");
        StopMessages.Print(stage.Stopping, stage.Failing);
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json ({outcome.Elapsed.TotalSeconds:F0} s)");
        if (outcome.ExitCode == ExitCodes.NonBlockingFailures)
            AnsiConsole.MarkupLineInterpolated($"exit {ExitCodes.NonBlockingFailures}: no blocking check stopped the recipe, but {stage.Failing.Count} non-blocking check(s) failed (above)");
        return outcome.ExitCode;
    }

    static string Badge(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "[green]pass[/]",
        Verdict.Warn => "[yellow]warn[/]",
        Verdict.Fail => "[red]fail[/]",
        Verdict.Error => "[purple]error[/]",
        _ => "[grey]skipped[/]",
    };
}
