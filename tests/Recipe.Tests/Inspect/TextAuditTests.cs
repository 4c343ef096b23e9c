using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>Real English words (Debian's wamerican when installed, else a fixed list) with planted defects.</summary>
public class TextAuditTests : IDisposable
{
    readonly string _folder = Fixtures.TempFolder("text");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static string[] Words() => File.Exists(DataSpec.SystemWords)
        ? File.ReadLines(DataSpec.SystemWords).Skip(1000).Take(400).ToArray()
        : Enumerable.Range(0, 400).Select(i => $"word{i}").ToArray();

    [Fact]
    public void Given_lines_with_planted_defects_When_audited_Then_each_is_found_at_its_line()
    {
        var lines = Words().ToList();
        lines.Insert(10, "");                                   // line 11: empty
        lines.Insert(50, "");                                   // line 51: empty
        lines.Add(lines[20]);                                   // line 403: exact duplicate of line 21
        lines.Add(lines[30].ToUpperInvariant() + " ");          // line 404: same as line 31 up to case and space
        lines.Add("zero\u200bwidth");                           // line 405: invisible character
        lines.Add("section§sign");                              // line 406: rare character
        lines.Add(new string('x', 200));                        // line 407: longer than the model reads
        var path = Path.Combine(_folder, "words.txt");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        using var data = DataSpec.Load(path);

        var audit = TextAudit.Run(data, new InspectOptions());

        var empty = Assert.Single(audit.Findings, f => f.Kind == FindingKind.EmptyLine && f.Split == "all");
        Assert.Equal(["line 11", "line 51"], empty.Examples.Select(e => e.Origin));
        int[] LinesOf(Finding f) => f.Examples.Select(e => int.Parse(e.Origin[5..])).Order().ToArray();
        Assert.Contains(audit.Findings, f => f.Kind is FindingKind.ExactDuplicate or FindingKind.CrossSplitDuplicate && LinesOf(f).SequenceEqual([21, 403]));
        Assert.Contains(audit.Findings, f => f.Kind is FindingKind.NearDuplicate or FindingKind.CrossSplitDuplicate && f.Statistics["exact"] == 0 && LinesOf(f).SequenceEqual([31, 404]));
        var invisible = Assert.Single(audit.Findings, f => f.Kind == FindingKind.RareCharacter && f.Subject!.StartsWith("U+200B"));
        Assert.Equal([405], LinesOf(invisible));
        Assert.Equal([406], LinesOf(Assert.Single(audit.Findings, f => f.Kind == FindingKind.RareCharacter && f.Subject!.Contains('§'))));
        Assert.Equal([407], LinesOf(Assert.Single(audit.Findings, f => f.Kind == FindingKind.Truncated)));
        Assert.Contains(audit.Findings, f => f.Kind == FindingKind.Outlier && LinesOf(f).Contains(407));
    }

    [Fact]
    public void Given_a_sentence_and_its_edited_copy_When_audited_Then_they_are_reported_as_near_duplicates()
    {
        var random = new Random(5);
        var words = Words();
        var lines = Enumerable.Range(0, 200).Select(_ => string.Join(' ', Enumerable.Range(0, 10).Select(_ => words[random.Next(words.Length)]))).ToList();
        lines.Add(lines[42].ToUpperInvariant().Replace(" ", ", ") + "!");   // line 201: line 43 with case and punctuation edited
        var path = Path.Combine(_folder, "sentences.txt");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        using var data = DataSpec.Load(path);

        var audit = TextAudit.Run(data, new InspectOptions());

        var similar = audit.Findings.Where(f => f.Statistics.ContainsKey("least_similarity")).ToList();
        Assert.NotEmpty(similar);
        Assert.All(similar, f => Assert.Equal(["line 201", "line 43"], f.Examples.Select(e => e.Origin).Order()));
        Assert.All(similar, f => Assert.True(f.Kind is FindingKind.NearDuplicate or FindingKind.CrossSplitDuplicate));
    }
}
