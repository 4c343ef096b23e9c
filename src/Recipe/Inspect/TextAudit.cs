using System.Globalization;
using System.Text;
using Recipe.Data;

namespace Recipe.Inspect;

/// <summary>One character of the vocabulary and how often it occurs.</summary>
public sealed record CharacterCount(char Character, int Count, int Lines)
{
    /// <summary>U+0041 'A', or the name of an invisible character.</summary>
    public string Display => $"U+{(int)Character:X4} {Visible(Character)}";

    public static string Visible(char c) => c switch
    {
        ' ' => "space",
        '\t' => "tab",
        '\r' => "carriage return",
        '\u00a0' => "no-break space",
        '\u200b' => "zero-width space",
        '\ufeff' => "byte order mark",
        _ when char.IsControl(c) => "control",
        _ => $"'{c}'",
    };
}

/// <summary>
/// Stage 1 for text lines: length distribution, vocabulary with rare and invisible characters,
/// duplicate lines (exact; equal up to case and surrounding spaces where <see cref="TextVariants"/> finds
/// that case does not tell lines apart; near-identical by <see cref="SimilarText"/>; within and across
/// splits, each shown with its text),
/// empty lines, lines cut to the model's maximum length, and lines of unusual length.
/// </summary>
public sealed class TextAudit
{
    /// <summary>A character is rare when it occurs in at most this many lines.</summary>
    public const int RareLines = 3;

    public required Dataset Data { get; init; }
    public required ExampleNumbering Numbering { get; init; }
    /// <summary>The text of every example, in numbering order, and its line number in the file.</summary>
    public required string[] Texts { get; init; }
    public required int[] LineNumbers { get; init; }
    public required IReadOnlyList<CharacterCount> Vocabulary { get; init; }
    public required int[] EmptyLines { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    /// <summary>Lines equal up to case and space, and whether case tells them apart in this data.</summary>
    public required TextVariants Variants { get; init; }

    public static TextAudit Run(Dataset data, InspectOptions options)
    {
        var numbering = new ExampleNumbering(data.Splits, _ => null);
        var raw = File.ReadAllText(data.Source, new UTF8Encoding(false)).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (raw.Count > 0 && raw[^1].Length == 0) raw.RemoveAt(raw.Count - 1);
        var lineNumbers = new int[numbering.Count];
        var texts = new string[numbering.Count];
        for (int g = 0; g < numbering.Count; g++)
        {
            var origin = numbering.Ref(g, null).Origin;                        // "line 12"
            lineNumbers[g] = int.Parse(origin["line ".Length..], CultureInfo.InvariantCulture);
            texts[g] = raw[lineNumbers[g] - 1];
        }
        ExampleRef Ref(int g) => numbering.Ref(g, null);
        var findings = new List<Finding>();

        var empty = Enumerable.Range(0, raw.Count).Where(i => raw[i].Length == 0).Select(i => i + 1).ToArray();
        if (empty.Length > 0)
            findings.Add(new Finding(FindingKind.EmptyLine, "all",
                $"{empty.Length} empty line(s), skipped by the reader: lines {string.Join(", ", empty.Take(10))}{(empty.Length > 10 ? ", …" : "")}",
                empty.Select(l => new ExampleRef("all", -1, l - 1, $"line {l}", null)).ToList()));
        var blank = Enumerable.Range(0, texts.Length).Where(g => string.IsNullOrWhiteSpace(texts[g])).ToList();
        if (blank.Count > 0)
            findings.Add(new Finding(FindingKind.EmptyLine, numbering.SplitsOf(blank),
                $"{blank.Count} line(s) of only spaces or tabs, kept as examples: {DuplicateFindings.Names(blank.Select(Ref).ToList())}",
                blank.Select(Ref).ToList()));

        var exact = Enumerable.Range(0, texts.Length).GroupBy(g => texts[g], StringComparer.Ordinal)
            .Where(g => g.Count() > 1).Select(g => g.ToArray()).OrderBy(g => g[0]).ToList();
        string Show(int g) => Quote(texts[g]);
        findings.AddRange(DuplicateFindings.From(exact, exact: true, numbering, null, show: Show));
        var variants = TextVariants.Find(texts, exact.Count);
        findings.AddRange(DuplicateFindings.From(variants.Reported, exact: false, numbering, null,
            _ => new() { ["case_or_space_only"] = 1, ["chance_probability"] = variants.ChanceProbability }, Show));
        var similar = SimilarText.Groups(texts).ToDictionary(g => g.Members[0]);
        findings.AddRange(DuplicateFindings.From([.. similar.Values.Select(g => g.Members)], exact: false, numbering, null,
            group => new() { ["least_similarity"] = similar[group[0]].LeastSimilarity, ["threshold"] = SimilarText.Threshold }, Show));

        var inLines = texts.SelectMany(t => t.Distinct()).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var vocabulary = texts.SelectMany(t => t).GroupBy(c => c).Select(g => new CharacterCount(g.Key, g.Count(), inLines[g.Key]))
            .OrderByDescending(v => v.Count).ThenBy(v => v.Character).ToList();
        foreach (var rare in vocabulary.Where(v => v.Lines <= RareLines || Invisible(v.Character)))
        {
            var lines = Enumerable.Range(0, texts.Length).Where(g => texts[g].Contains(rare.Character)).ToList();
            findings.Add(new Finding(FindingKind.RareCharacter, numbering.SplitsOf(lines),
                $"character {rare.Display} occurs {rare.Count} time(s) in {rare.Lines} line(s){(Invisible(rare.Character) ? " (invisible: probably an encoding or copy-paste artefact)" : "")}: " +
                DuplicateFindings.Names(lines.Select(Ref).ToList()),
                lines.Take(options.ListedOutliers).Select(Ref).ToList(), lines.Count,
                new Dictionary<string, double> { ["count"] = rare.Count, ["lines"] = rare.Lines, ["code_point"] = rare.Character }) { Subject = rare.Display });
        }

        var cut = Enumerable.Range(0, texts.Length).Where(g => texts[g].Length > TextLinesDataset.MaxLineLength).ToList();
        if (cut.Count > 0)
            findings.Add(new Finding(FindingKind.Truncated, numbering.SplitsOf(cut),
                $"{cut.Count} line(s) longer than {TextLinesDataset.MaxLineLength} characters are cut to that length for the model: {DuplicateFindings.Names(cut.Select(Ref).ToList())}",
                cut.Select(Ref).ToList(), new Dictionary<string, double> { ["limit"] = TextLinesDataset.MaxLineLength }));

        var z = RobustOutliers.Scores(texts.Select(t => (float)t.Length).ToArray(), null);
        var outliers = Enumerable.Range(0, texts.Length).Where(g => Math.Abs(z[g]) > options.OutlierZ).OrderByDescending(g => Math.Abs(z[g])).ToList();
        if (outliers.Count > 0)
            findings.Add(new Finding(FindingKind.Outlier, numbering.SplitsOf(outliers),
                $"{outliers.Count} line(s) of unusual length (|robust z| > {options.OutlierZ}); most extreme {DuplicateFindings.Name(Ref(outliers[0]))}: {texts[outliers[0]].Length} characters",
                outliers.Take(options.ListedOutliers).Select(Ref).ToList(), outliers.Count,
                new Dictionary<string, double> { ["limit"] = options.OutlierZ, ["max_abs_z"] = Math.Abs(z[outliers[0]]) }) { Subject = "length" });

        return new TextAudit
        {
            Data = data, Numbering = numbering, Texts = texts, LineNumbers = lineNumbers, Vocabulary = vocabulary,
            EmptyLines = empty, Findings = Finding.Ranked(findings), Variants = variants,
        };
    }

    /// <summary>The text of a line a finding names.</summary>
    public string TextOf(ExampleRef e)
    {
        int split = Numbering.Splits.Select(s => s.Name).ToList().IndexOf(e.Split);
        return Texts[Numbering.Offset(split) + e.Index];
    }

    /// <summary>Longest text shown for a line in a finding; longer lines end in "…".</summary>
    public const int QuotedLength = 60;

    /// <summary>The line in quotes, cut to <see cref="QuotedLength"/> characters: leading spaces stay, so an indentation is visible.</summary>
    public static string Quote(string text) => $"\"{(text.Length <= QuotedLength ? text : text[..(QuotedLength - 1)] + "…")}\"";

    /// <summary>Characters a reader cannot see: control characters (other than tab), zero-width and format characters.</summary>
    public static bool Invisible(char c) =>
        (char.IsControl(c) && c != '\t') || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format || c == '\u00a0';
}
