using System.Diagnostics;
using Recipe.Checks;
using Recipe.Data;

namespace Recipe.Tests.Checks;

/// <summary>
/// `recipe check --pipeline`: a user's pipeline compiled against Recipe (examples/ExamplePipeline) is
/// built here, loaded from its .dll, and checked — the correct provider passes batch-independence, the
/// one with view instead of permute fails it.
/// </summary>
public class PipelineAssemblyTests
{
    static readonly Lazy<string> ExampleDll = new(BuildExample);

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Recipe.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Recipe.slnx) not found above the test folder");
    }

    static string BuildExample()
    {
        var output = Path.Combine(Path.GetTempPath(), $"recipe-example-pipeline-{Guid.NewGuid():N}");
        var project = Path.Combine(RepositoryRoot(), "examples", "ExamplePipeline", "ExamplePipeline.csproj");
        var start = new ProcessStartInfo("dotnet", ["build", project, "-c", "Debug", "-o", output, "--nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(start)!;
        var log = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        build.WaitForExit();
        Assert.True(build.ExitCode == 0, $"building the example pipeline failed:\n{log.Result}\n{errors.Result}");
        return Path.Combine(output, "ExamplePipeline.dll");
    }

    static readonly Lazy<Dataset> Data = new(() => DataSpec.Load("fashion-mnist-sample"));

    [Fact]
    public void Given_the_example_assembly_When_its_providers_are_listed_Then_both_are_found_by_name()
    {
        var names = PipelineAssembly.ProviderTypes(ExampleDll.Value).Select(t => t.Name).ToArray();
        Assert.Equal(["RowMlpPipeline", "ViewBugPipeline"], names);
        var error = Assert.Throws<DataException>(() => PipelineAssembly.Load(ExampleDll.Value));
        Assert.Contains("--pipeline-class", error.Message);
    }

    [Fact]
    public void Given_the_correct_user_pipeline_When_batch_independence_runs_Then_it_passes()
    {
        var provider = PipelineAssembly.Load(ExampleDll.Value, "RowMlpPipeline");
        var pipeline = provider.Create(new PipelineRequest(Data.Value, Seed: 0));
        var result = CheckSuite.RunOne(CheckSuite.ById("batch-independence"), pipeline, CheckOptions.Quick);
        Assert.Equal(Verdict.Pass, result.Verdict);
    }

    [Fact]
    public void Given_the_user_pipeline_with_view_instead_of_permute_When_batch_independence_runs_Then_it_fails()
    {
        var provider = PipelineAssembly.Load(ExampleDll.Value, "ViewBugPipeline");
        var pipeline = provider.Create(new PipelineRequest(Data.Value, Seed: 0));
        var result = CheckSuite.RunOne(CheckSuite.ById("batch-independence"), pipeline, CheckOptions.Quick);
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.True(result.Stops);
    }

    [Fact]
    public void Given_a_file_that_is_not_an_assembly_When_loaded_Then_it_is_bad_input_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-pipeline-{Guid.NewGuid():N}.dll");
        File.WriteAllText(path, "hello");
        try
        {
            var error = Assert.Throws<DataException>(() => PipelineAssembly.Load(path));
            Assert.Equal(path, error.File);
            Assert.Contains(".NET assembly", error.Expected);
        }
        finally { File.Delete(path); }
    }
}
