using Recipe.Checks;
using Recipe.Cli.Commands;
using Recipe.Stages;
using Spectre.Console;

namespace Recipe.Tests.Stages;

/// <summary>"Passed" and "passed with failures" end with different exit codes, and a failed non-blocking check is printed with its advice.</summary>
public class ExitCodesTests
{
    static CheckResult Result(string id, bool blocking, Verdict verdict) =>
        new(id, 2, "hypothesis", blocking, verdict, $"{id} finding", new Evidence(), verdict is Verdict.Pass ? null : $"{id} advice", TimeSpan.Zero);

    static Stage2Outcome Stage(params CheckResult[] checks) => new("pipeline", checks, new Dictionary<string, double>());

    [Fact]
    public void Given_only_passes_warnings_and_skips_When_the_exit_code_is_read_Then_it_is_0()
    {
        var stage = Stage(Result("a", true, Verdict.Pass), Result("b", false, Verdict.Warn), Result("c", true, Verdict.Skipped));
        Assert.Equal(ExitCodes.Passed, stage.ExitCode);
    }

    [Theory]
    [InlineData(Verdict.Fail)]
    [InlineData(Verdict.Error)]
    public void Given_a_non_blocking_check_that_did_not_pass_When_the_exit_code_is_read_Then_it_is_4(Verdict verdict)
    {
        var stage = Stage(Result("a", true, Verdict.Pass), Result("loss-at-init", false, verdict));
        Assert.Equal(ExitCodes.NonBlockingFailures, stage.ExitCode);
        Assert.Equal(["loss-at-init"], stage.Failing.Select(c => c.Id));
    }

    [Fact]
    public void Given_a_blocking_failure_and_a_non_blocking_one_When_the_exit_code_is_read_Then_the_blocking_one_decides_1()
    {
        var stage = Stage(Result("a", true, Verdict.Fail), Result("b", false, Verdict.Fail));
        Assert.Equal(ExitCodes.BlockingFailure, stage.ExitCode);
    }

    [Fact]
    public void Given_failing_non_blocking_checks_that_share_advice_When_printed_Then_each_is_on_screen_and_the_advice_once()
    {
        var writer = new StringWriter();
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        try
        {
            var shared = Result("init-final-bias", false, Verdict.Fail) with { Advice = "set the final bias" };
            var other = Result("prediction-dynamics", false, Verdict.Fail) with { Advice = "set the final bias" };
            StopMessages.Print([], [shared, other]);
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
        var text = writer.ToString();
        Assert.Contains("failed: check init-final-bias fail (not blocking): init-final-bias finding", text);
        Assert.Contains("failed: check prediction-dynamics fail", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "set the final bias"));
    }
}
