using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

public class TextVariantsTests : IDisposable
{
    readonly string _folder = Fixtures.TempFolder("variants");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Distinct lower-case words (Debian's wamerican when installed, else made-up ones).</summary>
    static string[] Words(int count) => (File.Exists(DataSpec.SystemWords)
            ? File.ReadLines(DataSpec.SystemWords).Where(w => w.Length >= 3 && w.All(char.IsAsciiLetterLower)).Take(count)
            : Enumerable.Range(0, count).Select(i => $"word{i:x}"))
        .ToArray();

    TextAudit Audit(IEnumerable<string> lines)
    {
        var path = Path.Combine(_folder, $"lines-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        using var data = DataSpec.Load(path);
        return TextAudit.Run(data, new InspectOptions());
    }

    static bool IsVariant(Finding f) => f.Statistics.ContainsKey("case_or_space_only");

    [Fact]
    public void Given_a_word_list_where_case_tells_words_apart_When_audited_Then_no_case_variant_is_reported()
    {
        // Given a dictionary: no exact copies, and 40 words also listed capitalized (bill/Bill, sat/Sat)
        var words = Words(360).ToList();
        var lines = words.Concat(words.Take(40).Select(w => char.ToUpperInvariant(w[0]) + w[1..])).ToList();

        var audit = Audit(lines);

        // Then case is found to carry meaning, and none of the 40 pairs is a duplicate or leakage
        Assert.True(audit.Variants.CaseCarriesMeaning);
        Assert.Equal(40, audit.Variants.ShortGroups);
        Assert.DoesNotContain(audit.Findings, IsVariant);
        Assert.DoesNotContain(audit.Findings, f => f.Kind is FindingKind.NearDuplicate or FindingKind.CrossSplitDuplicate or FindingKind.ExactDuplicate);
    }

    [Fact]
    public void Given_words_copied_by_accident_When_audited_Then_the_case_and_space_variants_among_the_copies_are_reported()
    {
        // Given a list with 6 exact copies and 3 copies that differ in case or space: no more variants than copies explain
        var words = Words(360).ToList();
        var lines = words.Concat(words.Skip(100).Take(6)).Concat([words[10].ToUpperInvariant(), " " + words[11], char.ToUpperInvariant(words[12][0]) + words[12][1..]]).ToList();

        var audit = Audit(lines);

        Assert.False(audit.Variants.CaseCarriesMeaning);
        var reported = audit.Findings.Where(IsVariant).ToList();
        foreach (int planted in new[] { 10, 11, 12 })
            Assert.Contains(reported, f => f.Examples.Any(e => e.Origin == $"line {planted + 1}"));
    }

    [Fact]
    public void Given_a_word_list_where_case_carries_meaning_When_a_sentence_is_copied_with_its_case_changed_Then_that_copy_is_still_reported()
    {
        // Given a dictionary with meaningful case pairs, plus a long line and its upper-cased copy
        var words = Words(360).ToList();
        var sentence = string.Join(' ', words.Skip(200).Take(10));
        var lines = words.Concat(words.Take(40).Select(w => char.ToUpperInvariant(w[0]) + w[1..])).Concat([sentence, sentence.ToUpperInvariant()]).ToList();

        var audit = Audit(lines);

        // Then the short pairs are kept apart, the sentence pair is not: case never tells a whole sentence apart
        Assert.True(audit.Variants.CaseCarriesMeaning);
        var variant = Assert.Single(audit.Findings.Where(IsVariant).Select(f => string.Join(",", f.Examples.Select(e => e.Origin).Order())).Distinct());
        Assert.Equal($"line {lines.Count - 1},line {lines.Count}", variant);
    }

    [Fact]
    public void Given_duplicate_lines_When_audited_Then_the_message_shows_the_lines_beside_their_references()
    {
        var words = Words(100).ToList();
        var indented = "      this License, each Contributor hereby grants to You a perpetual, worldwide licence";
        var lines = words.Concat([indented, indented, "SAT", "sat"]).ToList();

        var audit = Audit(lines);

        var exact = audit.Findings.First(f => f.Kind is FindingKind.ExactDuplicate or FindingKind.CrossSplitDuplicate && f.Statistics["exact"] == 1);
        Assert.Contains("\"      this License, each Contributor hereby grants to You a…\"", exact.Message);
        var variant = audit.Findings.First(IsVariant);
        Assert.Contains("\"SAT\"", variant.Message);
        Assert.Contains("\"sat\"", variant.Message);
    }

    [Theory]
    [InlineData(0, 5, 1.0)]
    [InlineData(1, 1, 0.5)]
    [InlineData(10, 10, 1.0 / 1024)]
    [InlineData(2, 3, 0.5)]
    public void Given_counts_When_the_binomial_tail_is_computed_Then_it_matches_the_exact_value(int k, int n, double expected)
    {
        Assert.Equal(expected, TextVariants.AtLeastByChance(k, n), 12);
    }
}
