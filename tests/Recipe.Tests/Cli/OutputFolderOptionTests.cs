using Recipe.Cli;
using Recipe.Reporting;
using Recipe.Tests.Support;

namespace Recipe.Tests.Cli;

/// <summary>Issue 9's reproductions about --out, through the real command line: never lose a user's files.</summary>
public class OutputFolderOptionTests
{
    /// <summary>Writes a file, creating its folders (a user's file in a folder of their own).</summary>
    static string WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return TinyData.WriteText(path, content);
    }

    static string ParityCsv(TempFolder temp) =>
        TinyData.WriteCsv(temp.Combine("t.csv"), ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")]);

    static string NoiseCsv(TempFolder temp)
    {
        var labels = new Random(3);
        return TinyData.WriteCsv(temp.Combine("noise.csv"), ["x,label", .. Enumerable.Range(0, 200).Select(i => $"{i % 7},{labels.Next(2)}")]);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("check")]
    [InlineData("inspect")]
    public void Given_an_out_folder_holding_the_users_checks_and_inspect_folders_When_a_command_runs_without_force_Then_exit_2_before_any_work_and_nothing_is_touched(string command)
    {
        using var temp = new TempFolder();
        var output = temp.Combine("mine");
        var notes = WriteFile(Path.Combine(output, "checks", "notes.txt"), "mine");
        var labels = WriteFile(Path.Combine(output, "inspect", "labels.csv"), "mine");

        var run = CliRun.Of(command, "--data", ParityCsv(temp), "--out", output);

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"error: --out {output}: expected an empty folder or one Recipe wrote, found 'checks', 'inspect'", line);
        Assert.Contains("--force", line);
        Assert.Empty(run.Stdout); // refused before the data was read
        Assert.Equal(["checks", "inspect"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order());
        Assert.Equal("mine", File.ReadAllText(notes));
        Assert.Equal("mine", File.ReadAllText(labels));
    }

    [Fact]
    public void Given_an_out_folder_holding_the_users_files_When_run_with_force_Then_the_outputs_join_them_and_none_of_theirs_is_lost()
    {
        using var temp = new TempFolder();
        var output = temp.Combine("mine");
        var notes = WriteFile(Path.Combine(output, "checks", "notes.txt"), "mine");
        var labels = WriteFile(Path.Combine(output, "inspect", "labels.csv"), "mine");

        var run = CliRun.Of("run", "--data", ParityCsv(temp), "--out", output, "--epochs", "1", "--skip-checks", "--force");
        var again = CliRun.Of("run", "--data", ParityCsv(temp), "--out", output, "--epochs", "1", "--skip-checks", "--force");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.True(again.ExitCode == 0, $"exit {again.ExitCode}: {again.Stderr}");
        Assert.Equal("mine", File.ReadAllText(notes));
        Assert.Equal("mine", File.ReadAllText(labels));
        Assert.True(File.Exists(Path.Combine(output, "inspect", "report.html")));
        Assert.True(File.Exists(Path.Combine(output, "model.bin")));
    }

    [Fact]
    public void Given_the_users_own_report_html_in_out_When_run_even_with_force_Then_exit_2_and_it_is_not_replaced()
    {
        using var temp = new TempFolder();
        var output = temp.Combine("mine");
        var report = WriteFile(Path.Combine(output, "report.html"), "mine");

        var run = CliRun.Of("run", "--data", ParityCsv(temp), "--out", output, "--force");

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        Assert.StartsWith($"error: --out {output}: report.html there was not written by Recipe", Assert.Single(run.StderrLines));
        Assert.Equal("mine", File.ReadAllText(report));
    }

    [Fact]
    public void Given_an_earlier_run_with_weights_When_a_run_stops_at_a_check_Then_the_folder_holds_no_earlier_model_bin()
    {
        using var temp = new TempFolder();
        var output = temp.Combine("out");
        var noise = NoiseCsv(temp);
        var trained = CliRun.Of("run", "--data", noise, "--out", output, "--epochs", "1", "--skip-checks");
        Assert.True(trained.ExitCode == 0, $"exit {trained.ExitCode}: {trained.Stderr}");
        Assert.True(File.Exists(Path.Combine(output, "model.bin")));

        var stopped = CliRun.Of("run", "--data", noise, "--out", output, "--quick-checks");

        Assert.True(stopped.ExitCode == 1, $"exit {stopped.ExitCode}: {stopped.Stderr}");
        Assert.False(File.Exists(Path.Combine(output, "model.bin")));
        Assert.Contains("\"weights\": null", File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Empty(OutputFolder.ForeignEntries(output));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("check")]
    [InlineData("inspect")]
    public void Given_out_naming_an_existing_file_When_a_command_runs_Then_exit_2_before_any_work(string command)
    {
        using var temp = new TempFolder();
        var file = TinyData.WriteText(temp.Combine("results.txt"), "mine");

        var run = CliRun.Of(command, "--data", ParityCsv(temp), "--out", file);

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        Assert.StartsWith($"error: --out {file}: expected a folder, found a file", Assert.Single(run.StderrLines));
        Assert.Empty(run.Stdout);
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Given_an_empty_out_When_run_Then_exit_2_with_one_line_not_a_crash(string empty)
    {
        using var temp = new TempFolder();

        var run = CliRun.Of("run", "--data", ParityCsv(temp), "--out", empty);

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        Assert.StartsWith("error: --out ", Assert.Single(run.StderrLines));
        Assert.Contains("expected a folder path, found an empty one", run.Stderr);
    }
}
