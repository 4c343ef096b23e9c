using Recipe.Reporting;
using Recipe.Tests.Support;

namespace Recipe.Tests.Cli;

public class OverfitCommandTests
{
    [Theory]
    [InlineData("--budget", "0s", "--budget must be a positive duration")]
    [InlineData("--budget", "-5m", "")]
    [InlineData("--budget", "banana", "found 'banana'")]
    [InlineData("--knob", "momentum=0.9", "declares no knob 'momentum'")]
    [InlineData("--knob", "dropout=1", "expected a dropout probability")]
    [InlineData("--knob", "weight_decay=-0.1", "expected a weight decay")]
    [InlineData("--knob", "augment=rotate", "found 'rotate'")]
    [InlineData("--knob", "input=quarter", "expected full or half (half for images only), found 'quarter'")]
    [InlineData("--knob", "width", "expected NAME=VALUE")]
    [InlineData("--knob", "model=alexnet", "expected a model")]
    [InlineData("--knob", "model=transformer", "--knob model=transformer:")] // a zoo model, but for sequences, not tables
    [InlineData("--knob", "lr=-1", "expected a positive learning rate")]
    [InlineData("--model", "alexnet", "--model must be one of")]
    public void Given_bad_input_When_recipe_overfit_runs_Then_one_line_and_exit_2_before_any_work(string option, string value, string expected)
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));

        var run = CliRun.Of("overfit", "--data", csv, "--out", temp.Combine("out"), option, value);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.Contains(expected, line);
        Assert.DoesNotContain(" at ", line);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void Given_a_small_table_When_recipe_overfit_runs_Then_stages_1_to_3_write_the_experiment_log_and_the_ladder_picture_and_nothing_is_tested()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var output = temp.Combine("out");

        var run = CliRun.Of("overfit", "--data", csv, "--out", output, "--quick-checks", "--epochs", "20");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var summary = Summary.Load(Path.Combine(output, "summary.json"));
        Assert.Equal("overfit", (string?)summary["command"]);
        Assert.Equal(["load", "inspect", "checks", "overfit", "report"], summary["timings_seconds"]!.AsObject().Select(p => p.Key));
        var experiments = summary["experiments"]!.AsArray();
        Assert.NotEmpty(experiments);
        Assert.All(experiments, e => Assert.Contains((string?)e!["verdict"] ?? "skipped", new[] { "confirmed", "refuted", "inconclusive", "skipped" }));
        // the zoo's table ladder above the default MLP, after the learning-rate range test's suggestion
        Assert.Equal("mlp width 128 → mlp width 256", (string?)experiments.First(e => (string?)e!["kind"] == "capacity")!["change"]);
        Assert.Equal("learning-rate", (string?)experiments[0]!["kind"]);
        Assert.True(File.Exists(Path.Combine(output, "overfit", "lr-range-test.png")));
        var overfit = summary["overfit"]!;
        Assert.Equal(3, overfit["noise_values"]!.AsArray().Count);
        Assert.True(File.Exists(Path.Combine(output, "overfit", "capacity-ladder.png")));
        Assert.False(File.Exists(Path.Combine(output, "model.bin")));
        Assert.Null(summary["training"]);
        Assert.DoesNotContain("test_loss", summary["metrics"]!.AsObject().Select(p => p.Key));
        var report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("Stage 3: overfit (experiments)", report);
        Assert.Contains("Path of the best pipeline: skeleton", report);
        Assert.Contains("stage 3: experiments", run.Stdout);
    }
}
