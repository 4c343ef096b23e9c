using Recipe.Checks;
using Recipe.Data;
using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Checks;
using Recipe.Tests.Support;
using Recipe.Training;

namespace Recipe.Tests.Stages;

/// <summary>A provider that builds its own data and seed, as user pipelines often do (found in this assembly by --pipeline-class).</summary>
public sealed class OwnDataPipelineProvider : IPipelineProvider
{
    public Pipeline Create(PipelineRequest request)
    {
        var data = CheckTestData.OffsetRegression();
        return Pipeline.Default(data, InputNormalizer.Identity(), "mlp", new TrainingConfig { Seed = 7, BatchSize = 32 });
    }
}

/// <summary>`recipe check --pipeline` reports on the data and seed the checks ran on, and refuses options it would ignore.</summary>
public class CheckStagePipelineTests
{
    static string ThisAssembly => typeof(OwnDataPipelineProvider).Assembly.Location;

    [Fact]
    public void Given_a_provider_that_builds_its_own_data_and_no_valid_data_option_When_checked_Then_the_report_describes_the_providers_data_and_seed()
    {
        using var temp = new TempFolder();

        var outcome = CheckStage.Execute(new CheckRunOptions
        {
            Data = temp.Combine("no-such-data.csv"), Out = temp.Combine("out"), PipelinePath = ThisAssembly,
            PipelineClass = nameof(OwnDataPipelineProvider), Quick = true, Steps = 20,
        });

        var summary = Summary.Load(Path.Combine(outcome.OutputFolder, "summary.json"));
        Assert.Equal("offset regression", summary["dataset"]!["name"]!.GetValue<string>());
        Assert.Null(summary["data"]);
        Assert.Equal(7, summary["seed"]!.GetValue<long>());
        Assert.Contains(outcome.Notes, n => n.Contains("--data was not read"));
        Assert.Equal(outcome.ExitCode, summary["exit_code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("--epochs", "3")]
    [InlineData("--lr", "0.1")]
    [InlineData("--batch-size", "16")]
    [InlineData("--model", "mlp")]
    public void Given_an_option_of_the_default_pipeline_with_a_users_pipeline_When_run_Then_it_is_refused_in_one_line_with_exit_2(string option, string value)
    {
        using var temp = new TempFolder();

        var run = CliRun.Of("check", "--pipeline", ThisAssembly, "--pipeline-class", nameof(OwnDataPipelineProvider), option, value, "--out", temp.Combine("out"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(option, Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(temp.Combine("out")));
    }
}
