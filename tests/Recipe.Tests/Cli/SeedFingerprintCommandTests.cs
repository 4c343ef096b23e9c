using Recipe.Reporting;
using Recipe.Tests.Checks;
using Recipe.Tests.Support;

namespace Recipe.Tests.Cli;

/// <summary>
/// `recipe check --pipeline` rebuilds the user's pipeline in a fresh process (the hidden `__seed-fingerprint` command) for
/// seed-reproducible. The user's .dll here is this test assembly, whose providers subsample the training split.
/// </summary>
[Trait("Category", "Integration")]
public class SeedFingerprintCommandTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"recipe-seed-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    System.Text.Json.Nodes.JsonNode SeedCheck(string provider, int expectedExit)
    {
        var run = CliRun.Of("check", "--pipeline", typeof(SubsampleProvider).Assembly.Location, "--pipeline-class", provider,
            "--data", "fashion-mnist-sample", "--quick", "--out", _folder);
        Assert.True(run.ExitCode == expectedExit, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var summary = Summary.Load(Path.Combine(_folder, "summary.json"));
        return summary["checks"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "seed-reproducible")!;
    }

    [Fact]
    public void Given_a_provider_whose_subsample_ignores_the_seed_When_recipe_check_runs_Then_the_fresh_process_sees_other_data_and_it_stops()
    {
        var check = SeedCheck(nameof(UnseededSubsampleProvider), expectedExit: 1);
        Assert.Equal("fail", check["verdict"]!.GetValue<string>());
        Assert.Equal(1, check["evidence"]!["numbers"]!["fresh_process_data_differs"]!.GetValue<double>());
    }

    [Fact]
    public void Given_a_provider_that_subsamples_with_the_requests_seed_When_recipe_check_runs_Then_the_fresh_process_agrees()
    {
        var check = SeedCheck(nameof(SeededSubsampleProvider), expectedExit: 0);
        Assert.Equal("pass", check["verdict"]!.GetValue<string>());
        Assert.Equal(0, check["evidence"]!["numbers"]!["fresh_process_data_differs"]!.GetValue<double>());
        Assert.Equal(0, check["evidence"]!["numbers"]!["fresh_process_max_loss_difference"]!.GetValue<double>());
    }

    [Fact]
    public void Given_recipe_run_on_the_default_pipeline_When_its_checks_run_Then_seed_reproducible_compares_with_a_fresh_process_that_agrees()
    {
        // Given `recipe run` (not `recipe check`): its own arguments must rebuild the same pipeline in the fresh process
        var run = CliRun.Of("run", "--data", "fashion-mnist-sample", "--quick-checks", "--skip-inspect", "--skip-overfit", "--skip-regularize",
            "--epochs", "1", "--out", _folder);   // stages 3-4 are no part of what the fresh process must rebuild
        Assert.True(run.ExitCode is 0 or 4, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var summary = Summary.Load(Path.Combine(_folder, "summary.json"));
        var check = summary["checks"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "seed-reproducible")!;
        Assert.Equal("pass", check["verdict"]!.GetValue<string>());
        Assert.Equal(0, check["evidence"]!["numbers"]!["fresh_process_data_differs"]!.GetValue<double>());
        Assert.Equal(0, check["evidence"]!["numbers"]!["fresh_process_max_loss_difference"]!.GetValue<double>());
        Assert.Equal(0, check["evidence"]!["numbers"]!["fresh_process_max_weight_difference"]!.GetValue<double>());
    }
}
