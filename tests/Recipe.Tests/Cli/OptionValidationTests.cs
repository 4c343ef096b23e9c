using System.Reflection;
using Recipe.Cli;
using Recipe.Cli.Commands;
using Recipe.Tests.Support;
using Spectre.Console.Cli;

namespace Recipe.Tests.Cli;

/// <summary>
/// Every option of every command is checked before any work: a wrong value is one line on stderr, exit 2,
/// nothing printed on stdout (no progress: the data was not read), and no output folder.
/// </summary>
public class OptionValidationTests
{
    static readonly (string Command, Type Settings)[] Commands =
    [
        ("run", typeof(RunCommand.Settings)), ("check", typeof(CheckCommand.Settings)),
        ("inspect", typeof(InspectCommand.Settings)), ("human", typeof(HumanCommand.Settings)),
    ];

    /// <summary>Every option that takes a value, of every command, by its long name.</summary>
    public static TheoryData<string, string> ValueOptions()
    {
        var options = new TheoryData<string, string>();
        foreach (var (command, settings) in Commands)
            foreach (var property in settings.GetProperties())
                if (property.GetCustomAttribute<CommandOptionAttribute>() is { ValueName: not null } option)
                    options.Add(command, $"--{option.LongNames[0]}");
        return options;
    }

    static CliRun Refused(TempFolder temp, params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.True(run.ExitCode == ErrorReporter.BadInput, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Single(run.StderrLines);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Empty(run.Stdout);
        Assert.False(Directory.Exists(temp.Combine("out")));
        return run;
    }

    /// <summary>--out for the commands that write a folder (recipe human has none: its answers go to --store).</summary>
    static string[] OutOption(string command, TempFolder temp) => command == "human" ? [] : ["--out", temp.Combine("out")];

    static string ParityCsv(TempFolder temp) =>
        TinyData.WriteCsv(temp.Combine("t.csv"), ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")]);

    [Theory]
    [MemberData(nameof(ValueOptions))]
    public void Given_an_option_with_no_value_at_the_end_When_run_Then_one_line_names_the_option_and_no_internal_name(string command, string option)
    {
        using var temp = new TempFolder();
        var cwd = Directory.GetCurrentDirectory();

        var run = Refused(temp, command, "--out", temp.Combine("out"), option);

        Assert.StartsWith($"error: {option} needs a value", run.Stderr);
        Assert.DoesNotContain("__default_command", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(cwd, "__default_command")));
    }

    [Theory]
    [InlineData("run", "--data", "--out")]
    [InlineData("check", "--out", "--seed")]
    [InlineData("inspect", "--where", "--top")]
    [InlineData("human", "--store", "--web")]
    public void Given_an_option_whose_value_is_the_next_option_When_run_Then_one_line_names_both(string command, string option, string next)
    {
        using var temp = new TempFolder();

        var run = Refused(temp, command, option, next, temp.Combine("out"));

        Assert.Equal($"error: {option} needs a value (<{ValueNameOf(command, option)}>), found the option {next}", run.StderrLines[0]);
    }

    static string ValueNameOf(string command, string option) =>
        Commands.Single(c => c.Command == command).Settings.GetProperties()
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>()).Single(a => a is not null && $"--{a.LongNames[0]}" == option)!.ValueName!;

    [Theory]
    [InlineData("run --lr NaN", "--lr: expected a finite number")]
    [InlineData("run --lr Infinity", "--lr: expected a finite number")]
    [InlineData("check --lr -Infinity", "--lr: expected a finite number")]
    [InlineData("run --lr -0.1", "--lr must be a positive finite number")]
    [InlineData("run --lr 0", "--lr must be a positive finite number")]
    [InlineData("run --seed one", "--seed: expected a whole number, found 'one'")]
    [InlineData("run --epochs 2.5", "--epochs: expected a whole number")]
    [InlineData("inspect --top many", "--top: expected a whole number")]
    [InlineData("human --port 99999999999", "--port: expected a whole number")]
    [InlineData("run --batch-size 0", "--batch-size must be at least 1")]
    [InlineData("run --threads 0", "--threads must be from 1 to")]
    [InlineData("check --threads 100000", "--threads must be from 1 to")]
    [InlineData("check --steps 5", "--steps must be at least 10")]
    [InlineData("check --epochs -1", "--epochs must be at least 1")]
    [InlineData("inspect --gallery -1", "--gallery must not be negative")]
    [InlineData("inspect --top 0", "--top must be at least 1")]
    [InlineData("run --image-size 0", "--image-size must be between")]
    [InlineData("human --count 0", "--n must be at least 1")]
    [InlineData("human --pass 3", "--pass must be 1 or 2")]
    [InlineData("human --port -1", "--port must be from 0 to 65535")]
    [InlineData("human --port 8080", "--port has no effect without --web")]
    [InlineData("human --out elsewhere", "--out has no effect with recipe human")]
    public void Given_a_number_out_of_range_or_not_a_number_When_run_Then_one_line_saying_what_was_expected(string commandLine, string says)
    {
        using var temp = new TempFolder();
        var args = commandLine.Split(' ');

        var run = Refused(temp, [.. args, "--data", ParityCsv(temp), .. OutOption(args[0], temp)]);

        Assert.Contains(says, run.Stderr);
        Assert.DoesNotContain("Nullable", run.Stderr);
    }

    [Theory]
    [InlineData("run", "--data", "--data must name a dataset")]
    [InlineData("run", "--target", "--target must name a column")]
    [InlineData("inspect", "--where", "--where needs at least one condition")]
    [InlineData("inspect", "--sort", "--sort needs a field")]
    [InlineData("human", "--store", "--store must be a file path")]
    [InlineData("check", "--pipeline-class", "--pipeline-class needs --pipeline")]
    public void Given_an_empty_string_for_an_option_When_run_Then_one_line_naming_it(string command, string option, string says)
    {
        using var temp = new TempFolder();
        var data = option == "--data" ? [] : new[] { "--data", ParityCsv(temp) };

        var run = Refused(temp, [command, .. data, .. OutOption(command, temp), option, ""]);

        Assert.Contains(says, run.Stderr);
    }

    [Theory]
    [InlineData("csv", "cnn", "--model cnn does not fit")]
    [InlineData("csv", "charconv", "--model charconv does not fit")]
    [InlineData("text", "mlp", "--model mlp does not fit")]
    [InlineData("images", "charconv", "--model charconv does not fit")]
    public void Given_a_model_that_does_not_fit_the_data_When_run_or_check_Then_one_line_and_exit_2_before_any_work(string kind, string model, string says)
    {
        using var temp = new TempFolder();
        var data = kind switch
        {
            "csv" => ParityCsv(temp),
            "text" => TinyData.WriteText(temp.Combine("names.txt"), string.Join("\n", Enumerable.Range(0, 50).Select(i => $"name{i}"))),
            _ => TinyData.WriteImageClasses(temp.Combine("images"), ["a", "b"], [SkiaSharp.SKColors.Red, SkiaSharp.SKColors.Blue], perClass: 6),
        };

        foreach (var command in new[] { "run", "check" })
        {
            var run = Refused(temp, command, "--data", data, "--model", model, "--out", temp.Combine("out"));
            Assert.Contains(says, run.Stderr);
        }
    }

    [Fact]
    public void Given_a_pipeline_that_is_not_there_or_a_model_beside_a_pipeline_When_check_Then_one_line_each()
    {
        using var temp = new TempFolder();
        var csv = ParityCsv(temp);

        var missing = Refused(temp, "check", "--data", csv, "--pipeline", temp.Combine("nope.dll"), "--out", temp.Combine("out"));
        var both = Refused(temp, "check", "--data", csv, "--pipeline", temp.Combine("nope.dll"), "--model", "mlp", "--out", temp.Combine("out"));

        Assert.Contains("expected a compiled pipeline (.dll), found nothing there", missing.Stderr);
        Assert.Contains("--model has no effect with --pipeline", both.Stderr);
    }

    [Fact]
    public void Given_a_store_that_is_a_folder_When_human_Then_one_line_naming_it()
    {
        using var temp = new TempFolder();

        var run = Refused(temp, "human", "--data", ParityCsv(temp), "--store", temp.Path);

        Assert.Contains($"--store {temp.Path}: expected a SQLite file, found a folder", run.Stderr);
    }
}
