using System.Diagnostics;
using System.Text.Json;
using Recipe.Checks;

namespace Recipe.Bench.Corpus;

/// <summary>
/// Runs a corpus pipeline through the `recipe` command (`recipe check --pipeline this.dll --pipeline-class P`)
/// in a child process and reads the verdicts from its summary.json: the way a user checks a compiled pipeline,
/// and the only way randomness drawn once per process can differ between two attempts.
/// </summary>
public static class FreshProcessRunner
{
    static readonly Dictionary<string, string> ProviderOf = new() { ["fashion-unseeded-subsample"] = nameof(FashionUnseededSubsampleProvider) };

    public static EntryOutcome Run(CorpusEntry entry, string recipeCli, bool quick)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.Combine(Path.GetTempPath(), $"recipe-corpus-{entry.Name}-{Environment.ProcessId}");
        try
        {
            if (!ProviderOf.TryGetValue(entry.Name, out var provider))
                return new EntryOutcome(entry, [], clock.Elapsed, "no IPipelineProvider for this entry (add one to CorpusProviders.cs)");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])[recipeCli, "check", "--pipeline", typeof(FreshProcessRunner).Assembly.Location,
                         "--pipeline-class", provider, "--data", "fashion-mnist-sample", "--out", output, .. quick ? (string[])["--quick"] : []])
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var summary = Path.Combine(output, "summary.json");
            if (!File.Exists(summary))
                return new EntryOutcome(entry, [], clock.Elapsed, $"recipe check exited {process.ExitCode} without summary.json: {InProcessRunner.OneLine(stderr.Result + stdout.Result)}");
            using var json = JsonDocument.Parse(File.ReadAllText(summary));
            var checks = json.RootElement.GetProperty("checks").EnumerateArray().Select(c => (
                c.GetProperty("id").GetString()!,
                Enum.Parse<Verdict>(c.GetProperty("verdict").GetString()!, ignoreCase: true),
                InProcessRunner.OneLine(c.GetProperty("finding").GetString() ?? ""))).ToList();
            return new EntryOutcome(entry, checks, clock.Elapsed);
        }
        catch (Exception e)
        {
            return new EntryOutcome(entry, [], clock.Elapsed, $"{e.GetType().Name}: {InProcessRunner.OneLine(e.Message)}");
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
