using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

public class SimilarTextTests
{
    /// <summary>Real English words (Debian's wamerican when installed, else made-up ones), lower case, letters only.</summary>
    static string[] Words() => (File.Exists(DataSpec.SystemWords)
            ? File.ReadLines(DataSpec.SystemWords).Where(w => w.Length >= 4 && w.All(char.IsAsciiLetterLower)).Take(3000)
            : Enumerable.Range(0, 3000).Select(i => $"word{i:x}"))
        .ToArray();

    /// <summary>Distinct seeded sentences of twelve words: unrelated to each other.</summary>
    static List<string> Sentences(int count, int seed)
    {
        var words = Words();
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)])) + ".").ToList();
    }

    static string ReplaceWord(string sentence, int index, string word)
    {
        var parts = sentence.TrimEnd('.').Split(' ');
        parts[index] = word;
        return string.Join(' ', parts) + ".";
    }

    [Fact]
    public void Given_sentences_with_planted_edited_copies_When_grouped_Then_exactly_the_planted_pairs_are_found()
    {
        var lines = Sentences(300, seed: 1);
        var planted = new List<(int Original, int Copy)>();
        void Plant(int original, string copy) { lines.Add(copy); planted.Add((original, lines.Count - 1)); }
        Plant(10, lines[10].Remove(7, 1).Insert(7, "q"));                        // a typo
        Plant(20, lines[20].ToUpperInvariant().Replace(" ", ",  ") + "!!");      // case, punctuation, spacing
        Plant(30, ReplaceWord(lines[30], 5, "elephant"));                         // one word of twelve replaced
        Plant(40, lines[40].TrimEnd('.') + " indeed.");                           // a word appended

        var groups = SimilarText.Groups(lines);

        Assert.Equal(planted.Select(p => new[] { p.Original, p.Copy }), groups.Select(g => g.Members));
        Assert.All(groups, g => Assert.InRange(g.LeastSimilarity, SimilarText.Threshold, 1.0));
    }

    [Fact]
    public void Given_unrelated_sentences_that_share_words_When_grouped_Then_none_are_similar()
    {
        var lines = Sentences(200, seed: 2);
        var half = Sentences(200, seed: 3);
        // the first six words of one sentence with the last six of another: half the text in common with each
        lines.AddRange(Enumerable.Range(0, 50).Select(i =>
            string.Join(' ', lines[i].Split(' ')[..6].Concat(half[i].Split(' ')[6..]))));

        Assert.Empty(SimilarText.Groups(lines));
    }

    [Fact]
    public void Given_short_lines_like_dictionary_words_When_grouped_Then_they_are_not_compared()
    {
        var lines = Words().Take(2000).ToList();
        lines.Add(lines[5] + "s");

        Assert.Empty(SimilarText.Groups(lines));
    }

    [Fact]
    public void Given_copies_equal_up_to_case_and_space_When_grouped_Then_they_are_left_to_the_case_or_space_finding()
    {
        var lines = Sentences(20, seed: 4);
        lines.Add("  " + lines[3].ToUpperInvariant() + " ");

        Assert.Empty(SimilarText.Groups(lines));
    }

    [Fact]
    public void Given_a_line_When_normalized_Then_case_punctuation_and_spacing_are_gone()
    {
        Assert.Equal("hello world 42 times", SimilarText.Normalize("  Hello,   WORLD!! -- 42 times... "));
        Assert.Equal(1.0, SimilarText.Jaccard([1, 2, 3], [1, 2, 3]));
        Assert.Equal(0.5, SimilarText.Jaccard([1, 2, 3], [2, 3, 4]));
    }
}
