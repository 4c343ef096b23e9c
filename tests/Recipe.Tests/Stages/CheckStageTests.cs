using System.Diagnostics;
using System.Globalization;
using Recipe.Reporting;
using Recipe.Stages;

namespace Recipe.Tests.Stages;

public class CheckStageTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"recipe-check-stage-{Guid.NewGuid():N}");

    public CheckStageTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A table whose label follows from its features (learnable) or is a coin flip (noise).</summary>
    string Csv(string name, bool learnable)
    {
        var random = new Random(4);
        var lines = new List<string> { "a,b,colour,label" };
        for (int i = 0; i < 400; i++)
        {
            double a = random.NextDouble() * 2 - 1, b = random.NextDouble() * 2 - 1;
            var colour = new[] { "red", "green", "blue" }[random.Next(3)];
            bool positive = learnable ? a + b + (colour == "red" ? 0.5 : 0) > 0.2 : random.Next(2) == 0;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{a:F3},{b:F3},{colour},{(positive ? "yes" : "no")}"));
        }
        var path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Given_a_learnable_table_When_recipe_check_runs_Then_it_writes_the_report_and_a_summary_with_checks_and_baselines_and_exits_0()
    {
        var outcome = CheckStage.Execute(new CheckRunOptions { Data = Csv("learnable.csv", learnable: true), Out = Path.Combine(_folder, "out"), Steps = 150 });

        Assert.True(outcome.ExitCode == 0, string.Join("\n", outcome.Stage.Checks.Select(c => $"{c.Id}: {c.Verdict}: {c.Finding}")));
        Assert.True(File.Exists(Path.Combine(outcome.OutputFolder, "report.html")));
        var summary = Summary.Load(Path.Combine(outcome.OutputFolder, "summary.json"));
        var checks = summary["checks"]!.AsArray();
        Assert.Equal(Recipe.Checks.CheckSuite.Stage2.Count, checks.Count);
        foreach (var check in checks)
        {
            foreach (var field in new[] { "id", "stage", "hypothesis", "verdict", "evidence" }) Assert.NotNull(check![field]);
            Assert.Contains(check!["verdict"]!.GetValue<string>(), new[] { "pass", "warn", "skipped" });
        }
        var metrics = summary["metrics"]!;
        Assert.True(metrics["linear_accuracy"]!.GetValue<double>() > metrics["majority_accuracy"]!.GetValue<double>());
        Assert.NotNull(metrics["input_independent_accuracy"]);
        var picture = checks.First(c => c!["id"]!.GetValue<string>() == "dumb-baselines")!["evidence"]!["pictures"]![0]!["path"]!.GetValue<string>();
        Assert.True(File.Exists(Path.Combine(outcome.OutputFolder, picture)));
    }

    [Fact]
    public async Task Given_labels_that_are_coin_flips_When_the_recipe_check_command_runs_Then_it_stops_with_the_reason_on_screen_and_exit_code_1()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Recipe.Cli.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "check", "--data", Csv("noise.csv", learnable: false), "--out", Path.Combine(_folder, "noise"), "--steps", "150"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var (stdout, stderr) = (await stdoutTask, await stderrTask);

        Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}\n{stdout}\n{stderr}");
        Assert.Contains("stopped:", stdout);
        Assert.Contains("input-independent-baseline", stdout);
        Assert.True(File.Exists(Path.Combine(_folder, "noise", "summary.json")), "the report is written even when the stage stops");
    }
}
