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
    public void Given_a_run_on_half_size_images_When_predicting_its_test_files_Then_the_card_carries_the_pooling_and_the_accuracy_is_the_runs_test_accuracy()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), trainCount: 90, testCount: 30, rows: 8, columns: 8);
        var runFolder = Train(temp, idx, "--knob", "input=half");

        var predict = CliRun.Of("predict", "--model", runFolder, "--data", idx, "--out", temp.Combine("p.csv"));

        Assert.True(predict.ExitCode == 0, $"exit {predict.ExitCode}: {predict.Stderr}");
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "model.json")));
        Assert.Equal(2, card.RootElement.GetProperty("input").GetProperty("downsample").GetInt32());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json")));
        Assert.EndsWith("input 8×8 → 4×4 (2×2 average pooling)", summary.RootElement.GetProperty("regularize").GetProperty("best_pipeline").GetString());
        Assert.Equal(Metric(runFolder, "test_accuracy"), Printed(predict, "accuracy"), 4);
        Assert.Equal(Metric(runFolder, "test_loss"), Printed(predict, "loss"), 3);
    }

    [Fact]
    public void Given_a_run_on_half_a_tables_columns_When_predicting_its_csv_Then_the_card_names_the_dropped_columns_and_every_row_is_predicted()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var runFolder = Train(temp, csv, "--knob", "input=half");

        var predict = CliRun.Of("predict", "--model", runFolder, "--data", csv, "--out", temp.Combine("p.csv"));

        Assert.True(predict.ExitCode == 0, $"exit {predict.ExitCode}: {predict.Stderr}");
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "model.json")));
        var dropped = card.RootElement.GetProperty("table").GetProperty("dropped_columns").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(2, dropped.Count); // half of the four
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json")));
        Assert.Contains($"input without the 2 columns that explain least of the target alone ({string.Join(", ", dropped)})",
            summary.RootElement.GetProperty("training").GetProperty("pipeline").GetString());
        Assert.Equal(151, File.ReadAllLines(temp.Combine("p.csv")).Length); // the header and the 150 rows
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
    [Fact]
    public void Given_a_text_run_on_three_words_When_sampling_after_a_prompt_Then_the_seeded_samples_are_those_words_drawn_not_argmaxed()
    {
        using var temp = new TempFolder();
        var words = TinyData.WriteText(temp.Combine("hel.txt"), string.Concat(Enumerable.Repeat("hello\nhelp\nhello\nhelm\n", 20)));
        var runFolder = CliRun.Of("run", "--data", words, "--out", temp.Combine("run"), "--epochs", "20", "--lr", "1e-2", "--skip-inspect", "--skip-checks", "--skip-overfit");
        Assert.True(runFolder.ExitCode == 0, runFolder.Stderr);

        var first = CliRun.Of("predict", "--model", temp.Combine("run"), "--samples", "10", "--prompt", "h", "--seed", "5", "--out", temp.Combine("a.csv"));
        var again = CliRun.Of("predict", "--model", temp.Combine("run"), "--samples", "10", "--prompt", "h", "--seed", "5", "--out", temp.Combine("b.csv"));

        Assert.True(first.ExitCode == 0, first.Stderr);
        var rows = File.ReadAllLines(temp.Combine("a.csv"));
        Assert.Equal("sample,seed,prompt,text", rows[0]);
        var samples = rows.Skip(1).Select(r => r.Split(',')[3]).ToList();
        Assert.Equal(10, samples.Count);
        Assert.All(samples, text => Assert.Contains(text, new[] { "hello", "help", "helm" })); // the model, not noise, chose every character
        Assert.True(samples.Distinct().Count() >= 2, $"drawn from the softmax, not its argmax: {string.Join(" ", samples)}");
        Assert.All(samples, text => Assert.Contains(text, first.Stdout));
        Assert.Equal(rows, File.ReadAllLines(temp.Combine("b.csv"))); // the seed reproduces them
    }

    [Fact]
    public void Given_a_prompt_outside_the_vocabulary_or_samples_from_a_table_model_When_sampling_Then_one_line_and_exit_2()
    {
        using var temp = new TempFolder();
        var words = TinyData.WriteText(temp.Combine("w.txt"), string.Concat(Enumerable.Repeat("abc\nab\n", 30)));
        var textRun = Train(temp, words);
        var tableRun = CliRun.Of("run", "--data", TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv")), "--out", temp.Combine("table"), "--epochs", "1", "--skip-inspect", "--skip-checks");

        var badPrompt = CliRun.Of("predict", "--model", textRun, "--samples", "2", "--prompt", "abz");
        var tableSamples = CliRun.Of("predict", "--model", temp.Combine("table"), "--samples", "2");

        Assert.Equal(ErrorReporter.BadInput, badPrompt.ExitCode);
        Assert.Contains("--prompt: character 3: expected a character of the model's vocabulary", Assert.Single(badPrompt.StderrLines));
        Assert.False(File.Exists(Path.Combine(textRun, "samples.csv")));
        Assert.Equal(0, tableRun.ExitCode);
        Assert.Equal(ErrorReporter.BadInput, tableSamples.ExitCode);
        Assert.Contains("expected a text model", Assert.Single(tableSamples.StderrLines));
    }

    [Fact]
    public void Given_a_run_on_the_embedded_sample_When_predicting_the_built_in_name_Then_its_test_split_gives_the_runs_test_accuracy()
    {
        using var temp = new TempFolder();
        var runFolder = Train(temp, "fashion-mnist-sample", "--skip-overfit", "--skip-regularize");   // predict needs a trained model, not stages 3-4

        var predict = CliRun.Of("predict", "--model", runFolder, "--data", "fashion-mnist-sample", "--out", temp.Combine("p.csv"));

        Assert.True(predict.ExitCode == 0, $"exit {predict.ExitCode}: {predict.Stderr}");
        Assert.Equal(1000 + 1, File.ReadAllLines(temp.Combine("p.csv")).Length);
        Assert.Equal(Metric(runFolder, "test_accuracy"), Printed(predict, "accuracy"), 3);
    }

    [Fact]
    public void Given_a_run_folder_with_truncated_weights_or_data_of_another_kind_When_predicting_Then_one_line_exit_2_and_no_predictions_file()
    {
        using var temp = new TempFolder();
        var words = TinyData.WriteText(temp.Combine("w.txt"), string.Concat(Enumerable.Repeat("abc\nab\n", 30)));
        var runFolder = Train(temp, words);
        var weights = Path.Combine(runFolder, "model.safetensors");
        var whole = File.ReadAllBytes(weights);

        var imagesForText = CliRun.Of("predict", "--model", runFolder, "--data", "fashion-mnist-sample", "--out", temp.Combine("a.csv"));
        File.WriteAllBytes(weights, whole[..(whole.Length / 2)]);
        File.Delete(Path.Combine(runFolder, "model.pt"));
        var truncated = CliRun.Of("predict", "--model", runFolder, "--data", words, "--out", temp.Combine("b.csv"));

        Assert.Equal(ErrorReporter.BadInput, imagesForText.ExitCode);
        Assert.Contains("found the built-in image data set fashion-mnist-sample", Assert.Single(imagesForText.StderrLines));
        Assert.Equal(ErrorReporter.BadInput, truncated.ExitCode);
        Assert.Contains("model.safetensors: content: expected a complete PyTorch state_dict", Assert.Single(truncated.StderrLines));
        Assert.False(File.Exists(temp.Combine("a.csv")) || File.Exists(temp.Combine("b.csv")));
    }
}
