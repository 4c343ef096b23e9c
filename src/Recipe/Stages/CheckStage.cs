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
    /// <summary>Write into <see cref="Out"/> even when it holds files Recipe did not write (they are kept).</summary>
    public bool Force { get; init; }
    /// <summary>The seed; null is 0 for the default pipeline and the pipeline's own Training.Seed with <see cref="PipelinePath"/>.</summary>
    public long? Seed { get; init; }
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
    /// <summary>What the run decided on the user's behalf (e.g. --seed replacing the pipeline's own), one sentence each; shown on screen and in the report.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>See <see cref="ExitCodes"/>: 1 a blocking check failed or could not run, 4 only non-blocking ones did, else 0.</summary>
    public int ExitCode => Stage.ExitCode;
}

/// <summary>`recipe check`: stage 2 on the default pipeline; writes report.html, summary.json and the pictures under checks/.</summary>
public static class CheckStage
{
    public static CheckStageOutcome Execute(CheckRunOptions options, IProgressSink? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Native.TorchRuntime.EnsureLoadable();
        if (options.Threads is { } threads) TorchSharp.torch.set_num_threads(threads);
        // --data is loaded only when needed: always for the default pipeline, for a user's pipeline only if its provider reads it.
        Dataset? named = null;
        Dataset LoadNamed() => named ??= DataSpec.Load(options.Data, new ReadOptions(options.TargetColumn, options.ImageSize, NoHeader: options.NoHeader, Task: options.Task));
        try
        {
            var request = new PipelineRequest(LoadNamed, options.Seed ?? 0);
            var userPipeline = options.PipelinePath is { } path ? UserPipeline(path, options.PipelineClass, request) : null;
            // The report describes the data the checks ran on: the provider's own when it built one.
            var data = userPipeline?.Data ?? LoadNamed();
            var notes = new List<string>();
            if (userPipeline is not null && !request.DataWasRead)
                notes.Add($"The pipeline builds its own data ({data.Name}); --data was not read.");
            if (userPipeline is not null && options.Seed is { } given && given != userPipeline.Training.Seed)
                notes.Add($"--seed {given} replaces the pipeline's own seed {userPipeline.Training.Seed} for every check.");
            return Report(options, data, dataFromOption: named is not null, userPipeline, notes, clock, progress);
        }
        finally
        {
            named?.Dispose();
        }
    }

    static CheckStageOutcome Report(CheckRunOptions options, Dataset data, bool dataFromOption, Pipeline? userPipeline, List<string> notes,
        System.Diagnostics.Stopwatch clock, IProgressSink? progress)
    {
        long seed = options.Seed ?? userPipeline?.Training.Seed ?? 0;
        using var output = new OutputFolder(options.Out, options.Force);
        var model = userPipeline is null ? options.Model ?? ModelFactory.DefaultFor(data) : "user pipeline";
        var checks = (options.Quick ? CheckOptions.Quick : new CheckOptions()) with { Seed = seed };
        if (options.Steps is { } steps) checks = checks with { ShortRunSteps = steps };
        var stage = userPipeline is not null
            ? Stage2.Run(userPipeline, checks, progress)
            : Stage2.Run(data, new Stage2Options
            {
                Model = model,
                Training = new TrainingConfig { Seed = seed, BatchSize = options.BatchSize, Epochs = options.Epochs, LearningRate = options.LearningRate },
                Checks = checks,
            }, progress);

        var human = HumanBaselineOf(options.HumanStore, data.Source);
        var metrics = new Dictionary<string, double>(stage.Metrics);
        if (human?.Accuracy is { } humanAccuracy) metrics["human_accuracy"] = humanAccuracy;
        if (human?.Agreement is { } agreement) metrics["human_agreement"] = agreement;

        var pictures = stage.Checks.ToDictionary(c => c.Id, c => CheckSection.SavePictures(c, output.Staging));
        var report = new HtmlReport($"Recipe check (stage 2): {data.Name}");
        report.Paragraph($"Data: {data.Source} ({data.Format}, {data.Task}); splits {string.Join(", ", data.Splits.Select(s => $"{s.Name} {s.Count}"))}; seed {seed}.");
        report.Paragraph($"Pipeline: {stage.Pipeline}.");
        foreach (var note in notes) report.Paragraph(note, "muted");
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
            Data = dataFromOption ? options.Data : null,
            Seed = seed,
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
            Notes = notes,
            ExitCode = stage.ExitCode,
            Artifacts = new { Report = "report.html", Pictures = "checks/" },
        });
        output.Commit();
        return new CheckStageOutcome(stage, output.Final, clock.Elapsed) { Notes = notes };
    }

    /// <summary>The human baseline stored for this data, or null when no store exists (it is never created here).</summary>
    static Human.HumanBaselineResult? HumanBaselineOf(string storePath, string dataset)
    {
        if (!File.Exists(storePath)) return null;
        using var store = new Tracking.RecipeStore(storePath);
        return new Human.HumanAnnotations(store, dataset).Result();
    }

    /// <summary>The pipeline a user compiled; a provider that throws is bad input naming the assembly.</summary>
    static Pipeline UserPipeline(string path, string? className, PipelineRequest request)
    {
        var provider = PipelineAssembly.Load(path, className);
        try
        {
            return provider.Create(request);
        }
        catch (Exception e) when (e is not DataException)
        {
            var target = request.DataWasRead ? $" for {request.Data.Name}" : "";
            throw new DataException(path, $"{provider.GetType().Name}.Create", $"a pipeline{target} ({e.GetType().Name}: {ErrorFinding.FirstMeaningfulLine(e.Message)})");
        }
    }
}
