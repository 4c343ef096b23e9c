using Recipe.Reporting;

namespace Recipe.Inspect;

/// <summary>The text sections of report.html: lengths, vocabulary, duplicates, shortest and longest lines.</summary>
public static class TextReport
{
    const int Shown = 30;

    public static void Write(HtmlReport report, TextAudit audit)
    {
        var lengths = audit.Texts.Select(t => (double)t.Length).ToArray();
        var sorted = lengths.Order().ToArray();
        report.Heading("Line lengths");
        report.Paragraph($"{audit.Texts.Length:N0} lines (plus {audit.EmptyLines.Length} empty lines skipped); length min {sorted.FirstOrDefault()}, " +
                         $"median {RobustOutliers.Median(sorted)}, mean {sorted.DefaultIfEmpty().Average():F1}, max {sorted.LastOrDefault()} characters.");
        report.Image(Charts.Histogram("characters per line", "characters", lengths, bins: Math.Clamp((int)sorted.LastOrDefault(), 10, 60)), "Distribution of line lengths.");
        var byLength = Enumerable.Range(0, audit.Texts.Length).OrderBy(g => audit.Texts[g].Length).ToArray();
        report.Heading("Shortest and longest lines", 3);
        report.Table(["shortest", "length", "longest", "length"], Enumerable.Range(0, Math.Min(Shown / 2, byLength.Length)).Select(i =>
            (IReadOnlyList<string>)[Show(audit, byLength[i]), audit.Texts[byLength[i]].Length.ToString(),
                                    Show(audit, byLength[^(i + 1)]), audit.Texts[byLength[^(i + 1)]].Length.ToString()]));

        report.Heading($"Vocabulary: {audit.Vocabulary.Count} characters");
        report.Paragraph($"Rare: in at most {TextAudit.RareLines} lines. Invisible characters (control, zero-width, no-break space) are always reported.", "muted");
        report.Table(["character", "occurrences", "lines", "note"], audit.Vocabulary.Select(v => (IReadOnlyList<string>)
            [v.Display, v.Count.ToString("N0"), v.Lines.ToString("N0"), TextAudit.Invisible(v.Character) ? "invisible" : v.Lines <= TextAudit.RareLines ? "rare" : ""]));

        var duplicates = audit.Findings.Where(f => f.Kind is FindingKind.ExactDuplicate or FindingKind.NearDuplicate or FindingKind.CrossSplitDuplicate).ToList();
        report.Heading($"Duplicate lines: {duplicates.Count} findings");
        Variants(report, audit);
        // One row per line of each finding, the text beside its reference, so a person can judge the copy without opening the file.
        report.Table(["#", "kind", "example", "line", "text"], duplicates.Take(Shown * 2).SelectMany((f, i) =>
            f.Examples.Take(ShownPerFinding).Select((e, k) => (IReadOnlyList<string>)[
                k == 0 ? (i + 1).ToString() : "", k == 0 ? f.Kind : "", DuplicateFindings.Name(e), e.Origin, Visible(audit.TextOf(e))])));
        if (duplicates.Count > Shown * 2) report.Paragraph($"… and {duplicates.Count - Shown * 2} more findings in summary.json.", "muted");
    }

    /// <summary>The case-and-space rule's decision on this data, with its numbers and a few of the variants it kept apart.</summary>
    static void Variants(HtmlReport report, TextAudit audit)
    {
        var v = audit.Variants;
        if (v.ShortGroups == 0) return;
        var verdict = v.CaseCarriesMeaning
            ? "case (or surrounding space) tells these lines apart in this data, so they are not reported as duplicates"
            : "no more than copies would explain, so they are reported as near duplicates";
        report.Paragraph($"{v.ShortGroups:N0} group(s) of short lines differ only in case or surrounding space, against {v.ExactGroups:N0} group(s) of exact copies " +
                         $"(chance of so many variants if they were accidental copies: {v.ChanceProbability:G3}, significance {TextVariants.Significance:G}): {verdict}." +
                         (v.CaseCarriesMeaning ? " Examples: " + string.Join("; ", v.Meaningful.Take(8).Select(g => string.Join(" / ", g.Select(m => audit.Texts[m])))) : ""),
            "muted");
    }

    const int ShownPerFinding = 4;

    /// <summary>Truncated like the terminal's quotes, with spaces that HTML would collapse kept (no-break spaces), so indentation shows.</summary>
    static string Visible(string text)
    {
        var cut = text.Length <= 120 ? text : text[..119] + "…";
        return cut.Replace("  ", "\u00a0\u00a0").Replace("\u00a0 ", "\u00a0\u00a0");
    }

    static string Show(TextAudit audit, int g) => $"{audit.Numbering.SplitName(g)} line {audit.LineNumbers[g]}: {audit.Texts[g]}";
}
