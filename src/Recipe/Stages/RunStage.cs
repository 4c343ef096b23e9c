using Recipe.Data;
using Recipe.Models;
using Recipe.Progress;
using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>What `recipe run` produced: the metrics, the training curve and where the files are.</summary>
public sealed record RunOutcome(IReadOnlyDictionary<string, double> Metrics, TrainingResult Training, string OutputFolder, int ExitCode);

/// <summary>
/// `recipe run`: read the data, train the default model with the recipe's defaults, evaluate on the
/// whole test split, and write report.html, summary.json and the weights.
/// </summary>
public static class RunStage
{
    public static RunOutcome Execute(RunOptions options, IProgressSink? progress = null)
    {
        progress ??= NullProgress.Instance;
        Native.TorchRuntime.EnsureLoadable();
        using var data = DataSpec.Load(options.Data, new ReadOptions(options.TargetColumn, options.ImageSize));
        using var output = new OutputFolder(options.Out);

        Seeding.Apply(options.Seed);
        var modelName = options.Model ?? ModelFactory.DefaultFor(data);
        using var model = ModelFactory.Create(modelName, data);
        using var normalizer = InputNormalizer.FitTo(data);
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        int epochs = options.Epochs ?? TrainingConfig.EpochsForSteps(data.Train.Count, options.BatchSize);
        var config = new TrainingConfig { Epochs = epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Seed = options.Seed };
        var training = new Trainer([new ProgressHook(progress, $"training {modelName}")])
            .Fit(new TrainingContext(model, data, normalizer, optimizer, config));

        var test = Evaluation.Run(model, data.Test, data.Task, normalizer);
        var validation = Evaluation.Run(model, data.Validation, data.Task, normalizer);
        var metrics = new Dictionary<string, double> { ["test_loss"] = test.Loss, ["validation_loss"] = validation.Loss };
        if (test.Accuracy is { } testAccuracy) metrics["test_accuracy"] = testAccuracy;
        if (validation.Accuracy is { } validationAccuracy) metrics["validation_accuracy"] = validationAccuracy;

        model.save(output.PathOf("model.bin"));
        WriteReport(output.PathOf("report.html"), options, config, data, modelName, training, test, validation);
        Summary.Save(output.PathOf("summary.json"), new
        {
            Command = "run",
            Data = options.Data,
            Seed = options.Seed,
            Model = modelName,
            Dataset = DatasetSummary.Of(data),
            Training = new { config.Epochs, config.BatchSize, config.LearningRate, Optimizer = "adam", training.Steps, training.StopReason, Seconds = training.Elapsed.TotalSeconds },
            Metrics = metrics,
            Artifacts = new { Report = "report.html", Weights = "model.bin" },
        });
        output.Commit();
        return new RunOutcome(metrics, training, output.Final, 0);
    }

    static void WriteReport(string path, RunOptions options, TrainingConfig config, Dataset data, string modelName, TrainingResult training, EvaluationResult test, EvaluationResult validation)
    {
        var report = new HtmlReport($"Recipe run: {data.Name}");
        report.Paragraph($"Data: {data.Source} ({data.Format}, {data.Task}); seed {options.Seed}; model {modelName}; " +
                         $"Adam lr {options.LearningRate}, constant; batch {options.BatchSize}; {config.Epochs} epochs ({training.Steps} steps, {training.Elapsed.TotalSeconds:F1} s).");
        report.Heading("Data");
        report.Table(["split", "examples"], data.Splits.Select(s => (IReadOnlyList<string>)[s.Name, s.Count.ToString()]));
        foreach (var note in data.Notes) report.Paragraph(note, "muted");
        report.Heading("Metrics (whole splits)");
        report.Table(["split", "examples", "loss", "accuracy"], new[] { validation, test }.Select(r =>
            (IReadOnlyList<string>)[r.Split, r.Examples.ToString(), r.Loss.ToString("F4"), r.Accuracy is { } a ? a.ToString("P2") : "n/a"]));
        report.Heading("Training loss");
        var steps = Enumerable.Range(1, training.StepLosses.Count).Select(i => (double)i).ToArray();
        report.Image(Charts.Lines("training loss per step", "step", "loss", [("train (batch)", steps, training.StepLosses.ToArray())]),
            "Loss of every training step (batch losses, unsmoothed).");
        var epochs = training.Epochs.Where(e => e.Validation is not null).ToArray();
        if (epochs.Length > 0)
        {
            var trained = training.Epochs.Where(e => e.Epoch > 0).ToArray();
            report.Image(Charts.Lines("loss per epoch", "step", "loss",
                [("validation (whole split)", epochs.Select(e => (double)e.Step).ToArray(), epochs.Select(e => e.Validation!.Loss).ToArray()),
                 ("train (mean of the epoch's batches)", trained.Select(e => (double)e.Step).ToArray(), trained.Select(e => e.MeanTrainLoss).ToArray())]),
                "Validation loss over the whole validation split at initialisation (step 0) and after each epoch, beside the epoch's mean training loss.");
        }
        if (data.Train.Inputs.dtype == uint8)
        {
            using var first = data.Test.Inputs.narrow(0, 0, Math.Min(64, data.Test.Count));
            report.Heading("First test images");
            report.Image(ImageGrid.Render(first, columns: 16, scale: 2), "The first 64 test images as stored.");
        }
        report.Save(path);
    }
}
