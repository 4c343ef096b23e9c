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
        report.Table(["kind", "split", "lines"], duplicates.Take(Shown * 2).Select(f => (IReadOnlyList<string>)[f.Kind, f.Split, f.Message]));
    }

    static string Show(TextAudit audit, int g) => $"{audit.Numbering.SplitName(g)} line {audit.LineNumbers[g]}: {audit.Texts[g]}";
}
