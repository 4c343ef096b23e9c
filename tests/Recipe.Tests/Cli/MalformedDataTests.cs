using System.IO.Pipes;
using System.Text.Json;
using Recipe.Cli;
using Recipe.Tests.Support;
using SkiaSharp;

namespace Recipe.Tests.Cli;

/// <summary>
/// Issue 9's reproductions through the real command line: inputs that were misread silently, crashed or hung
/// now exit 2 with one line naming the file, the place and what was expected; --no-header and --task reach
/// the reader from every data command.
/// </summary>
public class MalformedDataTests
{
    static CliRun Run(string data, TempFolder temp, params string[] extra) =>
        CliRun.Of(["run", "--data", data, "--out", temp.Combine("out"), "--epochs", "1", .. extra]);

    static string OneErrorLine(CliRun run)
    {
        Assert.True(run.ExitCode == ErrorReporter.BadInput, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.DoesNotContain("   at ", run.Stderr);
        return Assert.Single(run.StderrLines);
    }

    /// <summary>No header; the last column is a fraction, so --task classification must refuse line 1 when both options arrive.</summary>
    static string WriteHeaderlessWithFractionalTarget(TempFolder temp) =>
        TinyData.WriteCsv(temp.Combine("headerless.csv"), [.. Enumerable.Range(0, 30).Select(i => FormattableString.Invariant($"{i},{i % 3},{i + 0.5}"))]);

    [Fact]
    public void Given_raw_sklearn_iris_When_run_Then_the_header_of_counts_is_refused_suggesting_no_header()
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("iris.csv"),
            ["150,4,setosa,versicolor,virginica", .. Enumerable.Range(0, 30).Select(i => FormattableString.Invariant($"{5 + i % 7 * 0.3:0.0},3.{i % 9},1.{i % 8},0.{i % 5},{i % 3}"))]);

        var line = OneErrorLine(Run(csv, temp));

        Assert.Equal($"error: {csv}: line 1 (header): expected column names, found values like the data below them ('150', '4'): " +
                     "pass --no-header if the file has no header row, or remove the line if it is neither names nor data", line);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("check")]
    [InlineData("inspect")]
    [InlineData("human")]
    public void Given_no_header_and_task_When_any_data_command_reads_Then_both_options_reach_the_CSV_reader(string command)
    {
        using var temp = new TempFolder();
        var csv = WriteHeaderlessWithFractionalTarget(temp);

        // human writes its answers to --store and refuses --out; the other commands write to --out
        string[] destination = command == "human" ? ["--store", temp.Combine("human.db")] : ["--out", temp.Combine("out")];

        var line = OneErrorLine(CliRun.Of([command, "--data", csv, "--no-header", "--task", "classification", .. destination]));

        Assert.Equal($"error: {csv}: line 1, column 'col2': expected a whole-number class label for --task classification, found '0.5'", line);
    }

    [Fact]
    public void Given_30_distinct_integer_targets_and_task_classification_When_inspected_Then_the_summary_says_classification()
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("ages.csv"), ["x,age", .. Enumerable.Range(0, 210).Select(i => $"{i},{i % 30}")]);
        var output = temp.Combine("out");

        var run = CliRun.Of("inspect", "--data", csv, "--task", "classification", "--out", output);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var dataset = summary.RootElement.EnumerateObject().First(p => p.Name.Equals("dataset", StringComparison.OrdinalIgnoreCase)).Value;
        var task = dataset.EnumerateObject().First(p => p.Name.Equals("task", StringComparison.OrdinalIgnoreCase)).Value.GetString();
        Assert.Equal("Classification", task);
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("sequence")]
    public void Given_a_task_that_is_not_classification_or_regression_When_run_Then_exit_2_naming_the_option(string task)
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")]);

        var line = OneErrorLine(Run(csv, temp, "--task", task));

        Assert.Equal("error: --task must be classification or regression (see recipe --help)", line);
    }

    [Fact]
    public void Given_a_Latin1_CSV_When_run_Then_exit_2_naming_line_and_byte()
    {
        using var temp = new TempFolder();
        var csv = temp.Combine("cafes.csv");
        File.WriteAllBytes(csv, [.. "x,label\n1,tea\n2,caf"u8, 0xE9, .. "\n3,tea\n"u8]);

        var line = OneErrorLine(Run(csv, temp));

        Assert.Equal($"error: {csv}: line 3, byte 19: expected UTF-8 text, found byte 0xE9 (Latin-1 or Windows-1252 text? convert it, e.g. iconv -f latin1 -t utf-8)", line);
    }

    [Fact]
    public void Given_an_IDX_label_of_200_among_ten_classes_When_run_Then_exit_2_naming_the_label_byte()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), trainCount: 40, testCount: 10, classes: 10);
        var labelsPath = Path.Combine(idx, "train-labels-idx1-ubyte");
        var labels = File.ReadAllBytes(labelsPath);
        labels[8 + 17] = 200;
        File.WriteAllBytes(labelsPath, labels);

        var line = OneErrorLine(Run(idx, temp));

        Assert.Equal($"error: {labelsPath}: byte 25: expected a label from 0 to 9 like the other training labels, found 200 (201 classes, 190 of them without a training example)", line);
    }

    [Fact]
    public void Given_a_CSV_whose_labels_are_all_one_class_When_run_Then_exit_2_at_load_instead_of_checks_that_block()
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,label", .. Enumerable.Range(0, 40).Select(i => $"{i},yes")]);

        var line = OneErrorLine(Run(csv, temp));

        Assert.Equal($"error: {csv}: column 'label': expected at least 2 different target values (classification needs them), found only 'yes' in all 40 rows", line);
    }

    [Fact]
    public void Given_an_image_folder_with_a_PNG_declaring_30000_by_30000_pixels_When_run_Then_exit_2_naming_that_file()
    {
        using var temp = new TempFolder();
        var images = temp.Combine("images");
        TinyData.WriteImageClasses(images, ["cat", "dog"], [SKColors.Red, SKColors.Blue], perClass: 5);
        var huge = Path.Combine(images, "dog", "huge.png");
        File.WriteAllBytes(huge, Recipe.Tests.Data.ImageDecoderTests.PngDeclaring(30_000, 30_000));

        var line = OneErrorLine(Run(images, temp));

        Assert.Equal($"error: {huge}: Png header: expected an image of at most 67 million pixels, found 30000x30000 (900 million)", line);
    }

    [Fact]
    public void Given_dev_zero_When_run_Then_exit_2_instead_of_reading_forever()
    {
        using var temp = new TempFolder();

        var line = OneErrorLine(Run("/dev/zero", temp));

        Assert.Equal("error: /dev/zero: path: expected a regular file, found a character device: save the data to a file first", line);
    }

    [Fact]
    public void Given_a_pipe_like_process_substitution_When_run_Then_exit_2_instead_of_a_crash_on_the_second_read()
    {
        using var temp = new TempFolder();
        // <(cat x.csv) hands the command /dev/fd/N, the read end of a pipe; here the pipe is written and closed first
        using var readEnd = new AnonymousPipeServerStream(PipeDirection.In);
        using (var writeEnd = new AnonymousPipeClientStream(PipeDirection.Out, readEnd.ClientSafePipeHandle))
            writeEnd.Write(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")]) + "\n"));
        var path = $"/proc/self/fd/{readEnd.SafePipeHandle.DangerousGetHandle()}";

        var line = OneErrorLine(Run(path, temp));

        Assert.Equal($"error: {path}: path: expected a regular file, found a pipe (FIFO): save the data to a file first", line);
    }

    [Fact]
    public void Given_a_folder_as_the_human_store_When_human_starts_Then_exit_2_naming_the_store()
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")]);
        var folder = temp.Combine("store");
        Directory.CreateDirectory(folder);

        var line = OneErrorLine(CliRun.Of("human", "--data", csv, "--store", folder, "--n", "1"));

        // refused while the options are validated, before any data is read
        Assert.Equal($"error: --store {folder}: expected a SQLite file, found a folder (see recipe --help)", line);
    }

    [Fact]
    public void Given_a_text_file_as_the_human_store_When_human_starts_Then_exit_2_naming_the_store()
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")]);
        var notes = TinyData.WriteText(temp.Combine("notes.txt"), "not a database\n");

        var line = OneErrorLine(CliRun.Of("human", "--data", csv, "--store", notes, "--n", "1"));

        Assert.Equal($"error: {notes}: byte 0: expected an SQLite database (a file starting with 'SQLite format 3'), found other content", line);
    }
}
