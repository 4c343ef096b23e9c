using Recipe.Cli;
using Recipe.Tests.Support;
using SkiaSharp;

namespace Recipe.Tests.Cli;

/// <summary>
/// Every malformed input, through the real command line: exit code 2, exactly one line on stderr that
/// names the file, the place and what was expected, no stack trace, and no output folder left behind.
/// </summary>
public class RecipeAppTests
{
    /// <summary>A malformed input: the --data argument (and any extra options), and the file and place the error must name.</summary>
    sealed record BadInput(string[] Args, string File, string Place);

    public static TheoryData<string> MalformedInputs =>
    [
        "IDX with a wrong magic number", "truncated IDX", "truncated gzip IDX", "image and label counts that differ",
        "CSV with a ragged row", "text in a numeric column", "unknown target column", "empty folder",
        "undecodable image", "empty text file", "path that does not exist", "too few examples for every split",
    ];

    static BadInput Make(string kind, TempFolder temp)
    {
        var idx = temp.Combine("idx");
        switch (kind)
        {
            case "IDX with a wrong magic number":
            {
                TinyData.WriteIdxFolder(idx, trainCount: 20, testCount: 5);
                var images = Path.Combine(idx, "train-images-idx3-ubyte");
                var bytes = File.ReadAllBytes(images);
                bytes[2] = 0x0B; // int16 data
                File.WriteAllBytes(images, bytes);
                return new([idx], images, "byte 0");
            }
            case "truncated IDX":
            {
                TinyData.WriteIdxFolder(idx, trainCount: 20, testCount: 5);
                var images = Path.Combine(idx, "t10k-images-idx3-ubyte");
                var bytes = File.ReadAllBytes(images)[..^5];
                File.WriteAllBytes(images, bytes);
                return new([idx], images, $"byte {bytes.Length}");
            }
            case "truncated gzip IDX":
            {
                TinyData.WriteIdxFolder(idx, trainCount: 20, testCount: 5, gzip: true);
                var labels = Path.Combine(idx, "train-labels-idx1-ubyte.gz");
                var bytes = File.ReadAllBytes(labels)[..^3];
                File.WriteAllBytes(labels, bytes);
                return new([idx], labels, $"byte {bytes.Length}");
            }
            case "image and label counts that differ":
            {
                TinyData.WriteIdxFolder(idx, trainCount: 20, testCount: 5);
                var labels = TinyData.WriteIdx(Path.Combine(idx, "t10k-labels-idx1-ubyte"), TinyData.IdxLabels(6, classes: 3));
                return new([idx], labels, "byte 4");
            }
            case "CSV with a ragged row":
            {
                var csv = TinyData.WriteCsv(temp.Combine("t.csv"), "a,b,label", "1,2,x", "3,4,y", "5,6,7,x", "8,9,y");
                return new([csv], csv, "line 4");
            }
            case "text in a numeric column":
            {
                var csv = TinyData.WriteCsv(temp.Combine("people.csv"), "age,city,label", "31,Paris,x", "45,Lyon,y", "abc,Nice,x", "22,Paris,y");
                return new([csv], csv, "line 4, column 'age'");
            }
            case "unknown target column":
            {
                var csv = TinyData.WriteCsv(temp.Combine("t.csv"), "a,b,label", "1,2,x", "3,4,y");
                return new([csv, "--target", "salary"], csv, "line 1 (header)");
            }
            case "empty folder":
            {
                var empty = temp.Combine("empty");
                Directory.CreateDirectory(empty);
                return new([empty], empty, "folder");
            }
            case "undecodable image":
            {
                var images = temp.Combine("images");
                TinyData.WriteImageClasses(images, ["cat", "dog"], [SKColors.Red, SKColors.Blue], perClass: 3);
                var bad = TinyData.WriteText(Path.Combine(images, "dog", "001.png"), "<html>not an image</html>");
                return new([images], bad, "byte 0");
            }
            case "empty text file":
            {
                var text = TinyData.WriteText(temp.Combine("names.txt"), "");
                return new([text], text, "byte 0");
            }
            case "path that does not exist":
            {
                var missing = temp.Combine("no-such-data.csv");
                return new([missing], missing, "path");
            }
            case "too few examples for every split":
            {
                var text = TinyData.WriteText(temp.Combine("names.txt"), "ann\nbob\ncyd\n");
                return new([text], text, "3 non-empty lines");
            }
            default:
                throw new ArgumentException($"no malformed input named '{kind}'");
        }
    }

    static string[] RunArgs(BadInput bad, string output, params string[] extra) =>
        ["run", "--data", bad.Args[0], .. bad.Args[1..], "--out", output, "--epochs", "1", .. extra];

    static void AssertNoOutputLeft(string output)
    {
        Assert.False(Directory.Exists(output), $"{output} exists after a failed run");
        var parent = Path.GetDirectoryName(output)!;
        if (Directory.Exists(parent))
            Assert.Empty(Directory.EnumerateFileSystemEntries(parent, "*partial*"));
    }

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Given_malformed_input_When_run_Then_exit_2_with_one_line_naming_file_place_and_expectation_and_no_output(string kind)
    {
        using var temp = new TempFolder();
        var bad = Make(kind, temp);
        var output = temp.Combine("runs", "out");

        var run = CliRun.Of(RunArgs(bad, output));

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"error: {bad.File}: {bad.Place}: expected ", line);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stdout);
        AssertNoOutputLeft(output);
    }

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Given_malformed_input_and_verbose_When_run_Then_the_same_line_comes_first_and_the_stack_trace_follows(string kind)
    {
        using var temp = new TempFolder();
        var bad = Make(kind, temp);
        var output = temp.Combine("runs", "out");

        var run = CliRun.Of(RunArgs(bad, output, "--verbose"));

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        Assert.StartsWith($"error: {bad.File}: {bad.Place}: expected ", run.StderrLines[0]);
        Assert.Contains("Recipe.Data.DataException", run.Stderr);
        Assert.Contains("   at ", run.Stderr);
        AssertNoOutputLeft(output);
    }

    [Fact]
    public void Given_a_stray_word_in_the_age_column_When_run_Then_the_line_says_which_line_and_column_wanted_a_number()
    {
        using var temp = new TempFolder();
        var bad = Make("text in a numeric column", temp);

        var run = CliRun.Of(RunArgs(bad, temp.Combine("out")));

        Assert.Equal(
            $"error: {bad.File}: line 4, column 'age': expected a number (3 of 4 values in this column are numbers; write NA for a missing value), found 'abc'",
            Assert.Single(run.StderrLines));
    }

    [Theory]
    [InlineData("run --no-such-option", "Unknown option 'no-such-option'")]
    [InlineData("run --epochs 0", "--epochs must be at least 1")]
    [InlineData("run --epochs many", "'many'")]
    [InlineData("run --model transformer-xl", "--model must be one of")]
    [InlineData("run --budget soon", "--budget must be a positive duration such as 90s, 10m or 1h30m, found 'soon'")]
    [InlineData("run --budget 0s", "--budget must be a positive duration")]
    [InlineData("run --budget 10", "found '10'")]
    [InlineData("fly", "Unknown command 'fly'")]
    public void Given_bad_usage_When_run_Then_exit_2_with_one_line_saying_what_is_wrong_and_no_stack_trace(string commandLine, string says)
    {
        // Given valid tiny data, so that only the usage can be at fault (and a missed usage error means a short run).
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")]);
        var output = temp.Combine("out");

        var run = CliRun.Of([.. commandLine.Split(' '), "--data", csv, "--out", output]);

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(says, line);
        Assert.DoesNotContain("   at ", run.Stderr);
        AssertNoOutputLeft(output);
    }

    [Fact]
    public void Given_a_port_another_program_holds_When_human_web_starts_Then_exit_2_with_one_line_naming_the_port()
    {
        using var temp = new TempFolder();
        var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;

            var run = CliRun.Of("human", "--web", "--port", $"{port}", "--data", "fashion-mnist-sample", "--n", "2", "--store", temp.Combine("human.db"));

            Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
            var line = Assert.Single(run.StderrLines);
            Assert.StartsWith($"error: cannot listen on 127.0.0.1:{port}", line);
        }
        finally
        {
            holder.Stop();
        }
    }

    [Fact]
    public void Given_labels_that_do_not_follow_the_inputs_When_run_Then_a_blocking_check_stops_it_with_exit_1_and_says_why()
    {
        using var temp = new TempFolder();
        var labels = new Random(3);
        var csv = TinyData.WriteCsv(temp.Combine("noise.csv"), ["x,label", .. Enumerable.Range(0, 200).Select(i => $"{i % 7},{labels.Next(2)}")]);
        var output = temp.Combine("out");

        var run = CliRun.Of("run", "--data", csv, "--out", output, "--quick-checks");

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains("stopped:", run.Stdout);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.False(File.Exists(Path.Combine(output, "model.bin")));
    }

    [Fact]
    public void Given_valid_tiny_data_When_run_Then_exit_0_and_the_output_folder_is_complete_with_no_staging_left()
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")]);
        var output = temp.Combine("runs", "out");

        // 20 rows of parity cannot pass stage 2's checks; this test is about the outputs of a valid run
        var run = CliRun.Of("run", "--data", csv, "--out", output, "--epochs", "1", "--skip-checks");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Empty(run.Stderr);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Combine("runs"), "*partial*"));
        // where the time went, one line (wrapped only by a narrow console); no checks phase: they were skipped; stages 3 and 4 ran; the mistakes are looked at after the evaluation
        Assert.Matches(@"time: load\s+[\d.]+\s+s\s+·\s+inspect\s+[\d.]+\s+s\s+·\s+overfit\s+[\d.]+\s+s\s+·\s+regularize\s+[\d.]+\s+s\s+·\s+training\s+[\d.]+\s+s\s+·\s+evaluation\s+[\d.]+\s+s\s+·\s+mistakes\s+[\d.]+\s+s\s+·\s+report\s+[\d.]+\s+s", run.Stdout);
    }

    [Fact]
    public void Given_a_message_with_a_newline_in_a_quoted_value_When_reported_Then_it_stays_one_line()
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("t.csv"), "age,label", "31,x", "45,y", "\"4\n5\",x", "22,y");

        var run = CliRun.Of("run", "--data", csv, "--out", temp.Combine("out"));

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        Assert.EndsWith("found '4\\n5'", Assert.Single(run.StderrLines));
    }
}
