using Recipe.Data;
using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Support;

namespace Recipe.Tests.Stages;

public class RunStageTests
{
    [Fact]
    public void Given_the_embedded_sample_When_run_Then_checks_pass_the_whole_test_split_is_evaluated_and_the_outputs_are_complete()
    {
        using var temp = new TempFolder();
        var dir = Path.Combine(temp.Path, "run");

        var outcome = RunStage.Execute(new RunOptions { Data = "fashion-mnist-sample", Out = dir, Seed = 3, Model = "mlp", Epochs = 1, QuickChecks = true });

        Assert.Equal(0, outcome.ExitCode);
        Assert.False(outcome.Checks!.Stops);
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        Assert.True(File.Exists(Path.Combine(dir, "model.bin")));
        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.Equal("run", (string?)summary["command"]);
        Assert.Equal("fashion-mnist-sample", (string?)summary["data"]);
        Assert.Equal(3, (long?)summary["seed"]);
        Assert.Equal(1000, (int?)summary["dataset"]!["splits"]!["test"]);
        var checks = summary["checks"]!.AsArray();
        Assert.Equal(Recipe.Checks.CheckSuite.Stage2.Count + 1, checks.Count); // the stage-2 checks, then the trained model against the baselines
        var final = checks.Single(c => (string?)c!["id"] == "trained-model-beats-baselines")!;
        Assert.NotEqual("fail", (string?)final["verdict"]); // far above the majority class; the linear bar only warns
        var accuracy = (double)summary["metrics"]!["test_accuracy"]!;
        Assert.InRange(accuracy, 0.6, 1.0); // an MLP after one epoch on 5,400 images is far above chance (10%)
        Assert.Equal(outcome.Metrics["test_accuracy"], accuracy);
        Assert.InRange((double)summary["metrics"]!["baseline_majority_accuracy"]!, 0.09, 0.11);
        // stage 1 ran first and its audit travels with the run
        Assert.True(File.Exists(Path.Combine(dir, "inspect", "report.html")));
        Assert.Equal(outcome.Findings!.Count, (int)summary["findings"]!["count"]!);
        Assert.Empty(Directory.GetDirectories(temp.Path, ".run.partial-*"));
        // and the run says where its time went, phase by phase, in the order they ran
        var timings = summary["timings_seconds"]!.AsObject();
        Assert.Equal(["load", "inspect", "checks", "overfit", "regularize", "training", "evaluation", "mistakes", "report"], timings.Select(p => p.Key));
        // stage 3 ran between the checks and the final training, and its log travels with the run
        Assert.Equal(outcome.Experiments.Count, summary["experiments"]!.AsArray().Count);
        Assert.NotEmpty(outcome.Experiments);
        Assert.Equal(outcome.Overfit!.Best.Knobs[Recipe.Checks.DefaultKnobs.Model], (string?)summary["model"]);
        Assert.True(File.Exists(Path.Combine(dir, "overfit", "capacity-ladder.png")));
        // the final model's mistakes are judged on validation, never on test
        var confusion = summary["mistakes"]!["confusion_matrix"]!["counts"]!.AsArray();
        Assert.Equal((int)summary["dataset"]!["splits"]!["validation"]!, confusion.Sum(row => row!.AsArray().Sum(c => (long)c!)));
        Assert.All(timings, p => Assert.True((double)p.Value! >= 0, p.Key));
        Assert.InRange((double)timings["training"]!, 0.5 * outcome.Training!.Elapsed.TotalSeconds, 2 * outcome.Training.Elapsed.TotalSeconds + 1);
        Assert.Contains("Time: load ", File.ReadAllText(Path.Combine(dir, "report.html")));
        Assert.Equal(timings.Select(p => (p.Key, (double)p.Value!)), outcome.Timings.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Given_labels_shuffled_against_their_images_When_run_Then_a_blocking_check_stops_it_before_training_with_exit_1()
    {
        // Given real images whose labels were shuffled (a broken join): nothing can be learned
        using var temp = new TempFolder();
        var source = DataSpec.Load("fashion-mnist-sample");
        var images = source.Train.Inputs.narrow(0, 0, 1200).contiguous().data<byte>().ToArray();
        var labels = source.Train.Targets.narrow(0, 0, 1200).data<long>().Select(l => (byte)l).ToArray();
        new Random(5).Shuffle(labels);
        var folder = Path.Combine(temp.Path, "shuffled");
        Directory.CreateDirectory(folder);
        TinyData.WriteIdx(Path.Combine(folder, "train-images-idx3-ubyte"), TinyData.Idx([1000, 28, 28], images[..(1000 * 784)]));
        TinyData.WriteIdx(Path.Combine(folder, "train-labels-idx1-ubyte"), TinyData.Idx([1000], labels[..1000]));
        TinyData.WriteIdx(Path.Combine(folder, "t10k-images-idx3-ubyte"), TinyData.Idx([200, 28, 28], images[(1000 * 784)..]));
        TinyData.WriteIdx(Path.Combine(folder, "t10k-labels-idx1-ubyte"), TinyData.Idx([200], labels[1000..]));
        var dir = Path.Combine(temp.Path, "run");

        // When
        var outcome = RunStage.Execute(new RunOptions { Data = folder, Out = dir, Model = "mlp", QuickChecks = true });

        // Then: stopped by a blocking check, no model trained, the report says why
        Assert.Equal(1, outcome.ExitCode);
        Assert.Null(outcome.Training);
        Assert.Contains(outcome.Checks!.Stopping, c => c.Id == "input-independent-baseline");
        Assert.False(File.Exists(Path.Combine(dir, "model.bin")));
        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.True((bool)summary["stopped"]!);
        Assert.Contains("input-independent-baseline", summary["stopped_by"]!.AsArray().Select(n => (string?)n));
        Assert.Contains("Stopped: a blocking check did not pass", File.ReadAllText(Path.Combine(dir, "report.html")));
        Assert.Equal(["load", "inspect", "checks", "report"], summary["timings_seconds"]!.AsObject().Select(p => p.Key)); // no training, no evaluation
    }

    [Fact]
    public void Given_an_iris_sized_table_When_run_with_defaults_Then_it_trains_until_validation_stops_improving_and_beats_chance_by_far()
    {
        // Given 150 rows: ten epochs would be ten optimizer steps (the reproduction scored 30 % on iris, below chance)
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var dir = temp.Combine("run");

        // When
        // (stages 3-4 skipped: this pins the skeleton's default training length; stage 3's range-test learning rate fits these
        // separable blobs in 8 steps, a different run this test is not about; the MLP is named, so the linear model that
        // ties it on these separable blobs is not weighed against it: SimplerModelChoiceTests' subject, not this one's)
        var outcome = RunStage.Execute(new RunOptions { Data = csv, Out = dir, SkipInspect = true, QuickChecks = true, SkipOverfit = true, SkipRegularize = true, Model = "mlp" });

        // Then
        Assert.Equal(0, outcome.ExitCode);
        Assert.True(outcome.Training!.Steps > 100, $"{outcome.Training.Steps} steps: {outcome.Training.StopReason}");
        Assert.True(outcome.Metrics["test_accuracy"] >= 0.9, $"test accuracy {outcome.Metrics["test_accuracy"]} after {outcome.Training.Steps} steps: {outcome.Training.StopReason}");
        var training = Summary.Load(Path.Combine(dir, "summary.json"))["training"]!;
        Assert.Contains((string?)training["stop_kind"], new[] { "validation-stopped-improving", "step-budget" });
        Assert.Equal(outcome.Training.StopReason.Split(';')[0], ((string?)training["stop_reason"])!.Split(';')[0]);
        Assert.Equal(1, (int?)training["validation_every_steps"]); // one step per epoch: validation after every step
        Assert.Equal(Recipe.Checks.Verdict.Pass, outcome.Checks!.Checks.Single(c => c.Id == "trained-model-beats-baselines").Verdict);
    }

    [Fact]
    public void Given_a_regression_with_targets_in_the_hundreds_When_run_Then_no_check_blocks_it_and_metrics_are_in_the_targets_units()
    {
        // Given a diabetes-sized table whose target is about 150 ± 70 (raw targets blocked the reproduction with exit 1)
        using var temp = new TempFolder();
        var csv = TinyTables.WriteRegressionCsv(temp.Combine("reg.csv"));
        var dir = temp.Combine("run");

        // When
        var outcome = RunStage.Execute(new RunOptions { Data = csv, Out = dir, SkipInspect = true, QuickChecks = true });

        // Then: trained, and judged in the original units
        Assert.False(outcome.Checks!.Stops, string.Join("; ", outcome.Checks.Stopping.Select(c => $"{c.Id}: {c.Finding}")));
        Assert.Equal(0, outcome.ExitCode);
        Assert.True(outcome.Metrics["test_r2"] > 0.5, $"R² {outcome.Metrics["test_r2"]}");
        Assert.InRange(outcome.Metrics["test_rmse"], 15, 60); // the noise is 30 in the target's units; standardized it would be < 1
        Assert.True(outcome.Metrics["test_mae"] < outcome.Metrics["test_rmse"]);
        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.Equal(outcome.Metrics["test_r2"], (double)summary["metrics"]!["test_r2"]!);
        Assert.InRange((double)summary["training"]!["target_scale"]!["mean"]!, 120, 180);
        // every baseline is held to the mean predictor too: the linear model beats it on standardized targets
        var baselines = outcome.Checks.Checks.Single(c => c.Id == "dumb-baselines");
        Assert.All(baselines.Evidence.Conditions, c => Assert.Equal(Recipe.Checks.Verdict.Pass, c.Verdict));
        Assert.Contains("RMSE", File.ReadAllText(Path.Combine(dir, "report.html")));
    }

    [Fact]
    public void Given_an_out_folder_holding_the_users_files_When_a_library_caller_runs_without_force_Then_it_is_refused_before_any_work_and_nothing_is_lost()
    {
        // Given: the folder a library user points RunStage at already holds their own script and notes
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var dir = temp.Combine("run");
        Directory.CreateDirectory(Path.Combine(dir, "checks"));
        File.WriteAllText(Path.Combine(dir, "train.py"), "mine");
        File.WriteAllText(Path.Combine(dir, "checks", "notes.txt"), "mine");

        // When
        var refused = Assert.Throws<Recipe.Reporting.OutputFolderException>(() =>
            RunStage.Execute(new RunOptions { Data = csv, Out = dir, SkipInspect = true, SkipChecks = true, Epochs = 1 }));

        // Then: the message names what is in the way; the user's files are untouched and no output was written
        Assert.Contains("train.py", refused.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "train.py")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "checks", "notes.txt")));
        Assert.False(File.Exists(Path.Combine(dir, "summary.json")));
    }
}
