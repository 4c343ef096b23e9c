using System.Text.Json;
using Recipe.Checks;

namespace Recipe.Bench.Corpus;

/// <summary>
/// Outcomes saved as JSON, so runs split over processes (--part K/N) are scored together (--summarize):
/// a buggy pipeline's correct twin may have run in another part.
/// </summary>
public static class OutcomeFile
{
    sealed record CheckRow(string Id, string Verdict, string Finding);
    sealed record Row(string Name, double Seconds, string? Crash, List<CheckRow> Checks);

    public static void Save(string path, IEnumerable<EntryOutcome> outcomes) =>
        File.WriteAllText(path, JsonSerializer.Serialize(outcomes.Select(o => new Row(o.Entry.Name, o.Elapsed.TotalSeconds, o.Crash,
            o.Checks.Select(c => new CheckRow(c.Id, c.Verdict.Name(), c.Finding)).ToList())), new JsonSerializerOptions { WriteIndented = true }));

    public static IEnumerable<EntryOutcome> Load(string path) =>
        JsonSerializer.Deserialize<List<Row>>(File.ReadAllText(path))!.Select(r => new EntryOutcome(Corpus.ByName(r.Name),
            r.Checks.Select(c => (c.Id, Enum.Parse<Verdict>(c.Verdict, ignoreCase: true), c.Finding)).ToList(), TimeSpan.FromSeconds(r.Seconds), r.Crash));
}
