using Recipe.Reporting;
using Recipe.Tests.Support;

namespace Recipe.Tests.Inspect;

/// <summary>`recipe inspect` as a user runs it: findings exit 0, unreadable input and a bad query exit 2.</summary>
public class InspectCommandTests : IDisposable
{
    readonly string _folder = Fixtures.TempFolder("cli");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static (int Code, string Output, string Error) Recipe(params string[] args)
    {
        var run = CliRun.Of(args);
        return (run.ExitCode, run.Stdout, run.Stderr);
    }

    [Fact]
    public void Given_the_sample_and_a_query_When_inspected_Then_it_exits_0_prints_findings_and_rows_and_writes_the_files()
    {
        var output = Path.Combine(_folder, "out");

        var (code, stdout, stderr) = Recipe("inspect", "--data", "fashion-mnist-sample", "--out", output, "--where", "label=3", "--sort", "contrast", "--top", "8", "--gallery", "20");

        Assert.True(code == 0, stderr);
        Assert.Contains("findings", stdout);
        Assert.Contains("8 shown", stdout);
        Assert.Contains("Dress", stdout);
        foreach (var file in new[] { "report.html", "summary.json", "query.png", "examples.csv" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        var summary = Summary.Load(Path.Combine(output, "summary.json"));
        Assert.Equal(8, summary["query"]!["rows"]!.AsArray().Count);
        Assert.NotNull(summary["findings"]!.AsArray());
    }

    [Fact]
    public void Given_a_truncated_idx_file_When_inspected_Then_it_exits_2_with_one_line_naming_the_file()
    {
        var data = Path.Combine(_folder, "broken");
        Directory.CreateDirectory(data);
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 9]);
        File.WriteAllBytes(Path.Combine(data, "train-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 9]);
        File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 9]);
        File.WriteAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 9]);
        var output = Path.Combine(_folder, "out-broken");

        var (code, _, stderr) = Recipe("inspect", "--data", data, "--out", output);

        Assert.Equal(2, code);
        Assert.Contains("train-images-idx3-ubyte", stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Given_a_query_on_an_unknown_field_When_inspected_Then_it_exits_2_listing_the_fields()
    {
        var (code, _, stderr) = Recipe("inspect", "--data", "fashion-mnist-sample", "--out", Path.Combine(_folder, "out-q"), "--where", "colour=red");

        Assert.Equal(2, code);
        Assert.Contains("unknown field 'colour'", stderr);
        Assert.Contains("contrast", stderr);
    }
}
