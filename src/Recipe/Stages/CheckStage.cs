using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Progress;
using Recipe.Reporting;
using Recipe.Training;

namespace Recipe.Stages;

/// <summary>What `recipe check` was asked to do.</summary>
public sealed record CheckRunOptions
{
    public string Data { get; init; } = DataSpec.DefaultSpec;
    public string Out { get; init; } = "runs/check";
    public long Seed { get; init; }
    public string? Model { get; init; }
    public int BatchSize { get; init; } = 128;
    public int Epochs { get; init; } = 2;
    public double LearningRate { get; init; } = 3e-4;
    /// <summary>Steps of the shared short run; null keeps the default.</summary>
    public int? Steps { get; init; }
    public string? TargetColumn { get; init; }
    /// <summary>CSV only: the first line is data (columns named col0, col1, …).</summary>
    public bool NoHeader { get; init; }
    /// <summary>CSV only: classification or regression; null guesses from the target.</summary>
    public TaskKind? Task { get; init; }
    public int ImageSize { get; init; } = 32;
    /// <summary>A compiled pipeline (.dll with an <see cref="IPipelineProvider"/>) to check instead of the default one.</summary>
    public string? PipelinePath { get; init; }
    /// <summary>Which provider in that assembly, when it holds several.</summary>
    public string? PipelineClass { get; init; }
    /// <summary>The store `recipe human` wrote to; its human accuracy for this data joins the baselines when present.</summary>
    public string HumanStore { get; init; } = Tracking.RecipeStore.DefaultPath;
    /// <summary>Small budgets (<see cref="CheckOptions.Quick"/>): a fast smoke test, weaker evidence.</summary>
    public bool Quick { get; init; }
    /// <summary>
    /// Torch's intra-op threads; null leaves torch's default. One thread is the default for `recipe check`: on a busy
    /// two-core machine, measured 0.13 s per small-CNN step with one thread against 0.58 s with two (the threads spin-wait).
    /// </summary>
    public int? Threads { get; init; } = 1;
}

/// <summary>What `recipe check` produced.</summary>
public sealed record CheckStageOutcome(Stage2Outcome Stage, string OutputFolder, TimeSpan Elapsed)
{
    /// <summary>1 when a blocking check failed or could not run, else 0.</summary>
    public int ExitCode => Stage.Stops ? 1 : 0;
}

/// <summary>`recipe check`: stage 2 on the default pipeline; writes report.html, summary.json and the pictures under checks/.</summary>
public static class CheckStage
{
    public static CheckStageOutcome Execute(CheckRunOptions options, IProgressSink? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Native.TorchRuntime.EnsureLoadable();
        if (options.Threads is { } threads) TorchSharp.torch.set_num_threads(threads);
        using var data = DataSpec.Load(options.Data, new ReadOptions(options.TargetColumn, options.ImageSize, NoHeader: options.NoHeader, Task: options.Task));
        var userPipeline = options.PipelinePath is { } path ? UserPipeline(path, options.PipelineClass, data, options.Seed) : null;
        using var output = new OutputFolder(options.Out);
        var model = userPipeline is null ? options.Model ?? ModelFactory.DefaultFor(data) : "user pipeline";
        var checks = (options.Quick ? CheckOptions.Quick : new CheckOptions()) with { Seed = options.Seed };
        if (options.Steps is { } steps) checks = checks with { ShortRunSteps = steps };
        var stage = userPipeline is not null
            ? Stage2.Run(userPipeline, checks, progress)
            : Stage2.Run(data, new Stage2Options
            {
                Model = model,
                Training = new TrainingConfig { Seed = options.Seed, BatchSize = options.BatchSize, Epochs = options.Epochs, LearningRate = options.LearningRate },
                Checks = checks,
            }, progress);

        var human = HumanBaselineOf(options.HumanStore, data.Source);
        var metrics = new Dictionary<string, double>(stage.Metrics);
        if (human?.Accuracy is { } humanAccuracy) metrics["human_accuracy"] = humanAccuracy;
        if (human?.Agreement is { } agreement) metrics["human_agreement"] = agreement;

        var pictures = stage.Checks.ToDictionary(c => c.Id, c => CheckSection.SavePictures(c, output.Staging));
        var report = new HtmlReport($"Recipe check (stage 2): {data.Name}");
        report.Paragraph($"Data: {data.Source} ({data.Format}, {data.Task}); splits {string.Join(", ", data.Splits.Select(s => $"{s.Name} {s.Count}"))}; seed {options.Seed}.");
        report.Paragraph($"Pipeline: {stage.Pipeline}.");
        report.Paragraph("Each check is an experiment with a hypothesis; the verdict comes from the named conditions shown with it. " +
                         "Checks train and measure on the training and validation splits; the test split is not touched. " +
                         $"Suite time {clock.Elapsed.TotalSeconds:F0} s.", "muted");
        report.Heading("Checks, most urgent first");
        report.CheckOverview(stage.Checks);
        report.Heading("Baselines (whole validation split)");
        report.Table(["metric", "value"], metrics.Select(m => (IReadOnlyList<string>)[m.Key, m.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)]));
        report.Paragraph(human is { Annotated: > 0 }
            ? $"Human baseline: {human.Accuracy:P1} on {human.Annotated} test examples labelled with `recipe human`" +
              (human.Agreement is { } g ? $"; agreement between two passes {g:P1} on {human.Reannotated}." : " (no second pass yet: `recipe human --pass 2` measures agreement).")
            : "Human baseline: none yet. Label test examples with `recipe human --data ... --n 100` to put your own accuracy beside the model's.", "muted");
        report.Heading("Evidence");
        report.CheckDetails(stage.Checks);
        report.Save(output.PathOf("report.html"));
        Summary.Save(output.PathOf("summary.json"), new
        {
            Command = "check",
            Data = options.Data,
            Seed = options.Seed,
            Model = userPipeline is null ? model : null,
            PipelineAssembly = options.PipelinePath,
            PipelineClass = options.PipelineClass,
            Pipeline = stage.Pipeline,
            Dataset = DatasetSummary.Of(data),
            Stops = stage.Stops,
            StoppedBy = stage.Stopping.Select(c => c.Id),
            Checks = stage.Checks.Select(c => CheckSection.ToSummary(c, pictures[c.Id])),
            Metrics = metrics,
            Human = human,
            Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            Artifacts = new { Report = "report.html", Pictures = "checks/" },
        });
        output.Commit();
        return new CheckStageOutcome(stage, output.Final, clock.Elapsed);
    }

    /// <summary>The human baseline stored for this data, or null when no store exists (it is never created here).</summary>
    static Human.HumanBaselineResult? HumanBaselineOf(string storePath, string dataset)
    {
        if (!File.Exists(storePath)) return null;
        using var store = new Tracking.RecipeStore(storePath);
        return new Human.HumanAnnotations(store, dataset).Result();
    }

    /// <summary>The pipeline a user compiled; a provider that throws is bad input naming the assembly.</summary>
    static Pipeline UserPipeline(string path, string? className, Dataset data, long seed)
    {
        var provider = PipelineAssembly.Load(path, className);
        try
        {
            return provider.Create(new PipelineRequest(data, seed));
        }
        catch (Exception e) when (e is not DataException)
        {
            throw new DataException(path, $"{provider.GetType().Name}.Create", $"a pipeline for {data.Name} ({e.GetType().Name}: {e.Message})");
        }
    }
}
