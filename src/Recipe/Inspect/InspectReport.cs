using Recipe.Data;
using Recipe.Reporting;

namespace Recipe.Inspect;

/// <summary>The parts of the stage-1 report that every data type shares: the header, the ranked findings, the query.</summary>
public static class InspectReport
{
    /// <summary>Findings shown at the top of the report: the short list a person reads first.</summary>
    const int LeadingFindings = 15;

    /// <summary>Rows of the findings table in all (the rest folded under the short list; all findings are in summary.json).</summary>
    const int ShownFindings = 300;

    public static HtmlReport Start(Dataset data, IReadOnlyList<Finding> findings)
    {
        var report = new HtmlReport($"Recipe inspect: {data.Name}");
        report.Paragraph($"Data: {data.Source} ({data.Format}, {data.Task}); " +
                         string.Join(", ", data.Splits.Select(s => $"{s.Name} {s.Count:N0}")) + " examples. " +
                         "Stage 1 of the recipe: become one with the data. Findings are things to look at, not errors.");
        foreach (var note in data.Notes) report.Paragraph(note, "muted");
        report.Heading("Findings, most important first");
        if (findings.Count == 0) report.Verdict("pass", "Nothing found.");
        var byKind = findings.GroupBy(f => f.Kind).Select(g => $"{g.Key} {g.Count()}");
        if (findings.Count > 0) report.Paragraph($"{findings.Count} findings: {string.Join(", ", byKind)}.");
        IReadOnlyList<string> Row(Finding f, int i) => [(i + 1).ToString(), f.Kind, f.Split, f.Count.ToString(), f.Message];
        report.Table(["#", "kind", "split", "examples", "finding"], findings.Take(LeadingFindings).Select(Row));
        if (findings.Count > LeadingFindings)
        {
            report.Details($"{Math.Min(findings.Count, ShownFindings) - LeadingFindings} more findings, less important (ranked by severity × examples × extremeness)");
            report.Table(["#", "kind", "split", "examples", "finding"], findings.Take(ShownFindings).Select(Row).Skip(LeadingFindings));
            report.EndDetails();
        }
        if (findings.Count > ShownFindings) report.Paragraph($"… and {findings.Count - ShownFindings} more in summary.json.", "muted");
        return report;
    }

    /// <summary>The query's rows as a table (the same rows the command prints).</summary>
    public static void Query(HtmlReport report, QueryResult result, QueryTable table, byte[]? picture, string pictureCaption)
    {
        report.Heading("Query");
        report.Paragraph($"{result.Query}: {result.Matched} matched, {result.Rows.Length} shown.");
        if (picture is not null) report.Image(picture, pictureCaption);
        report.Table(table.Header, table.Rows);
    }
}

/// <summary>Query rows as text cells, for the terminal and the report alike.</summary>
public sealed record QueryTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);
