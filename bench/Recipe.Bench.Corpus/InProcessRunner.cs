using System.Diagnostics;
using Recipe.Checks;

namespace Recipe.Bench.Corpus;

/// <summary>Runs a corpus pipeline through <see cref="CheckSuite.Run"/> in this process, as a C# user would.</summary>
public static class InProcessRunner
{
    public static EntryOutcome Run(CorpusEntry entry, CheckOptions options)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var pipeline = entry.Build();
            var result = CheckSuite.Run(pipeline, options);
            return new EntryOutcome(entry, result.Checks.Select(c => (c.Id, c.Verdict, OneLine(c.Finding))).ToList(), clock.Elapsed);
        }
        catch (Exception e)
        {
            return new EntryOutcome(entry, [], clock.Elapsed, $"{e.GetType().Name}: {OneLine(e.Message)}");
        }
    }

    public static string OneLine(string text)
    {
        var first = text.Split('\n')[0].Trim();
        return first.Length > 220 ? first[..220] + "…" : first;
    }
}
