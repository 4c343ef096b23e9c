using Recipe.Reporting;
using Recipe.Stages;

namespace Recipe.Tests.Stages;

public class RunStageTests
{
    [Fact]
    public void Given_the_embedded_sample_When_run_Then_the_whole_test_split_is_evaluated_and_the_outputs_are_complete()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"recipe-run-{Guid.NewGuid():N}");
        try
        {
            var outcome = RunStage.Execute(new RunOptions { Data = "fashion-mnist-sample", Out = dir, Seed = 3, Model = "mlp", Epochs = 1 });

            Assert.True(File.Exists(Path.Combine(dir, "report.html")));
            Assert.True(File.Exists(Path.Combine(dir, "model.bin")));
            var summary = Summary.Load(Path.Combine(dir, "summary.json"));
            Assert.Equal("run", (string?)summary["command"]);
            Assert.Equal("fashion-mnist-sample", (string?)summary["data"]);
            Assert.Equal(3, (long?)summary["seed"]);
            Assert.Equal(1000, (int?)summary["dataset"]!["splits"]!["test"]);
            var accuracy = (double)summary["metrics"]!["test_accuracy"]!;
            Assert.InRange(accuracy, 0.6, 1.0); // an MLP after one epoch on 5,400 images is far above chance (10%)
            Assert.Equal(outcome.Metrics["test_accuracy"], accuracy);
            Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(dir)!, $".{Path.GetFileName(dir)}.partial-*"));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
