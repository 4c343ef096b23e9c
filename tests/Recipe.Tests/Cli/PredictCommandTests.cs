using System.Globalization;
using System.Text.Json;
using Recipe.Cli;
using Recipe.Tests.Support;
using SkiaSharp;

namespace Recipe.Tests.Cli;

/// <summary>`recipe predict` on a run trained in the same test: the model card carries what prediction needs.</summary>
public class PredictCommandTests
{
    static string Train(TempFolder temp, string data, params string[] extra)
    {
        var output = temp.Combine("run");
        var run = CliRun.Of(["run", "--data", data, "--out", output, "--epochs", "2", "--skip-inspect", "--skip-checks", .. extra]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        return output;
    }

    static double Metric(string runFolder, string name)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json")));
        return summary.RootElement.GetProperty("metrics").GetProperty(name).GetDouble();
    }

    static double Printed(CliRun run, string label) => double.Parse(
        run.Stdout.Split('\n').Single(l => l.StartsWith(label + ": ")).Split(": ")[1], CultureInfo.InvariantCulture);

    [Fact]
    public void Given_a_run_on_IDX_images_When_predicting_its_test_files_Then_every_image_gets_a_row_and_the_accuracy_is_the_runs_test_accuracy()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), trainCount: 90, testCount: 30, rows: 8, columns: 8);
        var runFolder = Train(temp, idx);
        Assert.True(File.Exists(Path.Combine(runFolder, "model.json")) && File.Exists(Path.Combine(runFolder, "model.safetensors")) && File.Exists(Path.Combine(runFolder, "model.pt")));

        var predict = CliRun.Of("predict", "--model", runFolder, "--data", idx, "--out", temp.Combine("p.csv"));

        Assert.True(predict.ExitCode == 0, $"exit {predict.ExitCode}: {predict.Stderr}");
        var lines = File.ReadAllLines(temp.Combine("p.csv"));
        Assert.Equal("example,predicted,probability,p(0),p(1),p(2),label,correct", lines[0]);
        Assert.Equal(31, lines.Length);
        Assert.Equal(Metric(runFolder, "test_accuracy"), Printed(predict, "accuracy"), 4);
        Assert.Equal(Metric(runFolder, "test_loss"), Printed(predict, "loss"), 3);
    }

    [Fact]
    public void Given_images_of_another_size_When_predicting_Then_one_line_names_both_sizes_exit_2_and_no_predictions_file()
    {
        using var temp = new TempFolder();
        var runFolder = Train(temp, TinyData.WriteIdxFolder(temp.Combine("idx"), 90, 30, rows: 8, columns: 8));
        var other = TinyData.WriteIdxFolder(temp.Combine("small"), 10, 10, rows: 6, columns: 6);

        var predict = CliRun.Of("predict", "--model", runFolder, "--data", other, "--out", temp.Combine("p.csv"));

        Assert.Equal(ErrorReporter.BadInput, predict.ExitCode);
        Assert.Contains("8x8 images as the model was trained on, found 6x6", Assert.Single(predict.StderrLines));
        Assert.False(File.Exists(temp.Combine("p.csv")));
    }

    [Fact]
    public void Given_a_colour_image_for_a_grey_model_When_predicting_Then_it_is_refused_naming_the_channels()
    {
        using var temp = new TempFolder();
        var runFolder = Train(temp, TinyData.WriteIdxFolder(temp.Combine("idx"), 90, 30, rows: 8, columns: 8));
        var image = TinyData.WriteImage(temp.Combine("red.png"), 8, 8, SKColors.Red);

        var predict = CliRun.Of("predict", "--model", runFolder, "--data", image);

        Assert.Equal(ErrorReporter.BadInput, predict.ExitCode);
        Assert.Contains("1-channel (grey) images, found a colour one", Assert.Single(predict.StderrLines));
    }

    [Fact]
    public void Given_a_table_run_When_predicting_rows_without_the_target_or_with_a_column_missing_Then_it_predicts_or_names_the_column()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var runFolder = Train(temp, csv);
        var unlabelled = TinyData.WriteCsv(temp.Combine("new.csv"), "f3,f1,f0,f2", "0,0,3.1,0", "0,2.9,0,0.2");
        var missing = TinyData.WriteCsv(temp.Combine("missing.csv"), "f0,f1,f2", "3,0,0");

        var predict = CliRun.Of("predict", "--model", runFolder, "--data", unlabelled, "--out", temp.Combine("p.csv"));
        var refused = CliRun.Of("predict", "--model", runFolder, "--data", missing, "--out", temp.Combine("q.csv"));

        Assert.True(predict.ExitCode == 0, $"exit {predict.ExitCode}: {predict.Stderr}");
        var rows = File.ReadAllLines(temp.Combine("p.csv"));
        Assert.Equal("example,predicted,probability,p(c0),p(c1),p(c2)", rows[0]);
        Assert.Equal(3, rows.Length);
        Assert.DoesNotContain("accuracy", predict.Stdout);
        Assert.Equal(ErrorReporter.BadInput, refused.ExitCode);
        Assert.Contains("missing: f3", Assert.Single(refused.StderrLines));
        Assert.False(File.Exists(temp.Combine("q.csv")));
    }

    [Fact]
    public void Given_a_text_run_When_predicting_a_line_with_a_character_it_never_saw_Then_the_line_and_character_are_named()
    {
        using var temp = new TempFolder();
        var words = TinyData.WriteText(temp.Combine("words.txt"), string.Join("\n", Enumerable.Range(0, 60).Select(i => new string((char)('a' + i % 5), 1 + i % 4) + "xy")) + "\n");
        var runFolder = Train(temp, words);
        var known = TinyData.WriteText(temp.Combine("known.txt"), "abxy\ncxy\n");
        var unknown = TinyData.WriteText(temp.Combine("unknown.txt"), "abxy\nabz\n");

        var predict = CliRun.Of("predict", "--model", runFolder, "--data", known, "--out", temp.Combine("p.csv"));
        var refused = CliRun.Of("predict", "--model", runFolder, "--data", unknown, "--out", temp.Combine("q.csv"));

        Assert.True(predict.ExitCode == 0, $"exit {predict.ExitCode}: {predict.Stderr}");
        Assert.Equal(["example,line,loss_per_char,next_char_accuracy", "line 1,abxy", "line 2,cxy"], File.ReadAllLines(temp.Combine("p.csv")).Select((l, i) => i == 0 ? l : string.Join(',', l.Split(',').Take(2))));
        Assert.Equal(ErrorReporter.BadInput, refused.ExitCode);
        Assert.Contains("line 2, character 3: expected a character of the model's vocabulary", Assert.Single(refused.StderrLines));
    }

    [Fact]
    public void Given_no_run_folder_When_predicting_Then_one_line_and_exit_2()
    {
        using var temp = new TempFolder();

        var predict = CliRun.Of("predict", "--model", temp.Combine("nowhere"), "--data", "fashion-mnist");

        Assert.Equal(ErrorReporter.BadInput, predict.ExitCode);
        Assert.Contains("a run folder written by `recipe run`", Assert.Single(predict.StderrLines));
    }
}
