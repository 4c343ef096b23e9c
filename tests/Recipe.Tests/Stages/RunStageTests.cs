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
        Assert.Equal(["load", "inspect", "checks", "training", "evaluation", "report"], timings.Select(p => p.Key));
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
}
