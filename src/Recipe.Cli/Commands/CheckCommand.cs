using System.ComponentModel;
using Recipe.Checks;
using Recipe.Models;
using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>`recipe check`: stage 2's sanity checks and dumb baselines on the default pipeline, ranked, with exit code 1 when a blocking check fails.</summary>
public sealed class CheckCommand : Command<CheckCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("--model <NAME>")]
        [Description("Model: linear, mlp, cnn (images), charconv (text). Default: chosen from the data.")]
        public string? Model { get; init; }

        [CommandOption("--epochs <N>")]
        [Description("Epochs of the planned run (the learning-rate schedule is audited over it).")]
        [DefaultValue(2)]
        public int Epochs { get; init; }

        [CommandOption("--batch-size <N>")]
        [DefaultValue(128)]
        public int BatchSize { get; init; }

        [CommandOption("--lr <RATE>")]
        [Description("Adam learning rate (constant).")]
        [DefaultValue(3e-4)]
        public double LearningRate { get; init; }

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

        [CommandOption("--threads <N>")]
        [Description("Torch threads (default 1: on a busy machine extra threads spin and slow training down; raise it on an idle one).")]
        [DefaultValue(1)]
        public int Threads { get; init; }

        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } common) return common;
            if (Model is not null && !ModelFactory.Names.Contains(Model))
                return ValidationResult.Error($"--model must be one of {string.Join(", ", ModelFactory.Names)}, found '{Model}'");
            if (Epochs < 1) return ValidationResult.Error("--epochs must be at least 1");
            if (BatchSize < 1) return ValidationResult.Error("--batch-size must be at least 1");
            if (LearningRate <= 0) return ValidationResult.Error("--lr must be positive");
            if (Threads < 1) return ValidationResult.Error("--threads must be at least 1");
            if (Steps is < 10) return ValidationResult.Error("--steps must be at least 10");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new CheckRunOptions
        {
            Data = settings.Data, Out = settings.Out == "runs/latest" ? "runs/check" : settings.Out, Seed = settings.Seed, Model = settings.Model,
            Epochs = settings.Epochs, BatchSize = settings.BatchSize, LearningRate = settings.LearningRate, Steps = settings.Steps,
            TargetColumn = settings.Target, ImageSize = settings.ImageSize,
            PipelinePath = settings.Pipeline, PipelineClass = settings.PipelineClass, Quick = settings.Quick, Threads = settings.Threads,
        };
        var outcome = Terminal.WithProgress(progress => CheckStage.Execute(options, progress));
        var stage = outcome.Stage;

        var table = new Table().AddColumn("#").AddColumn("verdict").AddColumn("check").AddColumn("blocking").AddColumn("finding");
        int rank = 0;
        foreach (var check in stage.Checks.OrderBy(c => c.Rank))
            table.AddRow((++rank).ToString(), Badge(check.Verdict), Markup.Escape(check.Id), check.Blocking ? "yes" : "no", Markup.Escape(check.Finding));
        AnsiConsole.Write(table);
        if (stage.Metrics.Count > 0)
            AnsiConsole.MarkupLineInterpolated($"[bold]baselines (validation):[/] {string.Join(", ", stage.Metrics.Where(m => m.Key.EndsWith("accuracy") || !stage.Metrics.Keys.Any(k => k.EndsWith("accuracy"))).Select(m => $"{m.Key} {m.Value:0.####}"))}");
        foreach (var stop in stage.Stopping)
        {
            AnsiConsole.MarkupLineInterpolated($"[red bold]stopped:[/] blocking check [bold]{stop.Id}[/] {stop.Verdict.Name()}: {stop.Finding}");
            if (stop.Advice is { } advice) AnsiConsole.MarkupLineInterpolated($"  [yellow]advice:[/] {advice}");
        }
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json ({outcome.Elapsed.TotalSeconds:F0} s)");
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
