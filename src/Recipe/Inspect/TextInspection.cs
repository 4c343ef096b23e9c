using System.Text;
using Recipe.Data;
using Recipe.Reporting;

namespace Recipe.Inspect;

/// <summary>`recipe inspect` on text lines: audit, report sections, query lines (query.txt), summary.</summary>
public static class TextInspection
{
    public static InspectSection Write(Dataset data, HtmlReport report, OutputFolder output, InspectOptions options, Query? query)
    {
        var audit = TextAudit.Run(data, options);
        QueryResult? result = null;
        QueryTable? table = null;
        string? artifact = null;
        if (query is not null)
        {
            result = query.Run(new TextQueryFields(audit));
            table = new QueryTable(["#", "split", "line", "length", "text"], result.Rows.Select((g, i) => (IReadOnlyList<string>)
                [(i + 1).ToString(), audit.Numbering.SplitName(g), audit.LineNumbers[g].ToString(), audit.Texts[g].Length.ToString(), audit.Texts[g]]).ToList());
            artifact = "query.txt";
            File.WriteAllText(output.PathOf(artifact), string.Concat(result.Rows.Select(g => $"{audit.LineNumbers[g]}\t{audit.Texts[g]}\n")), new UTF8Encoding(false));
            InspectReport.Query(report, result, table, null, "");
        }
        TextReport.Write(report, audit);
        var lengths = audit.Texts.Select(t => (double)t.Length).Order().ToArray();
        var summary = new
        {
            Lines = audit.Texts.Length,
            EmptyLines = audit.EmptyLines,
            Length = new { Min = lengths.FirstOrDefault(), Median = RobustOutliers.Median(lengths), Mean = lengths.DefaultIfEmpty().Average(), Max = lengths.LastOrDefault() },
            CaseVariants = new { audit.Variants.ShortGroups, audit.Variants.ExactGroups, audit.Variants.ChanceProbability, audit.Variants.CaseCarriesMeaning },
            Vocabulary = audit.Vocabulary.Select(v => new { Character = v.Character.ToString(), CodePoint = (int)v.Character, v.Count, v.Lines }).ToList(),
        };
        return new InspectSection(audit.Findings, summary, result, table, artifact);
    }
}
