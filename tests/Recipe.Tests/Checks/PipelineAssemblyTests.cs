using System.Diagnostics;
using Recipe.Checks;
using Recipe.Data;

namespace Recipe.Tests.Checks;

/// <summary>A user's pipeline as `recipe check --pipeline` finds it: the row scanner, correct.</summary>
public sealed class RowScannerPipeline : IPipelineProvider
{
    public Pipeline Create(Dataset data)
    {
        var normalizer = InputNormalizer.FitTo(data);
        return Pipeline.Default(data, normalizer, "mlp") with
        {
            CreateModel = () => CheckTestData.WithPriorBias(new RowScanner(data.ExampleShape[2], data.ClassCount, viewInsteadOfPermute: false), data),
            CreateLargerModel = null,
            Description = "row scanner (permute)",
        };
    }
}

/// <summary>The same user's pipeline with the view-instead-of-permute bug.</summary>
public sealed class RowScannerWithViewPipeline : IPipelineProvider
{
    public Pipeline Create(Dataset data) => new RowScannerPipeline().Create(data) with
    {
        CreateModel = () => CheckTestData.WithPriorBias(new RowScanner(data.ExampleShape[2], data.ClassCount, viewInsteadOfPermute: true), data),
        Description = "row scanner (view instead of permute)",
    };
}

public class PipelineAssemblyTests
{
    static string ThisAssembly => typeof(PipelineAssemblyTests).Assembly.Location;

    [Fact]
    public void Given_an_assembly_and_a_type_name_When_loaded_Then_that_provider_builds_the_pipeline()
    {
        var provider = PipelineAssembly.Load($"{ThisAssembly}:{typeof(RowScannerPipeline).FullName}");
        Assert.IsType<RowScannerPipeline>(provider);
        Assert.Equal("row scanner (permute)", provider.Create(CheckTestData.FashionMnist).Description);
    }

    [Fact]
    public void Given_an_assembly_with_several_providers_and_no_type_name_When_loaded_Then_the_error_names_them()
    {
        var error = Assert.Throws<DataException>(() => PipelineAssembly.Load(ThisAssembly));
        Assert.Contains(typeof(RowScannerWithViewPipeline).FullName!, error.Message);
    }

    [Fact]
    public void Given_a_missing_file_When_loaded_Then_it_is_a_data_error()
    {
        Assert.Throws<DataException>(() => PipelineAssembly.Load("/nonexistent/pipeline.dll"));
    }

    [Fact]
    public async Task Given_a_compiled_pipeline_that_mixes_the_batch_When_recipe_check_runs_on_it_Then_batch_independence_stops_it_with_exit_code_1()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"recipe-pipeline-{Guid.NewGuid():N}");
        var cli = Path.Combine(AppContext.BaseDirectory, "Recipe.Cli.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "check", "--pipeline", $"{ThisAssembly}:{typeof(RowScannerWithViewPipeline).FullName}",
            "--data", "fashion-mnist-sample", "--out", folder, "--steps", "60"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["COLUMNS"] = "200";
        try
        {
            using var process = Process.Start(start)!;
            var stdoutTask = process.StandardOutput.ReadToEndAsync();
            var stderrTask = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await process.WaitForExitAsync(timeout.Token);
            var (stdout, stderr) = (await stdoutTask, await stderrTask);

            Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}\n{stdout}\n{stderr}");
            Assert.Contains("blocking check batch-independence fail", stdout);
            Assert.Contains("view instead of permute", File.ReadAllText(Path.Combine(folder, "summary.json")));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
