using System.Text;
using Recipe.Data;
using Recipe.Reporting;

namespace Recipe.Inspect;

/// <summary>`recipe inspect` on a CSV table: audit, report sections, query rows (query.csv), summary.</summary>
public static class TableInspection
{
    /// <summary>Columns printed for a query (all are in query.csv).</summary>
    const int PrintedColumns = 8;

    public static InspectSection Write(Dataset data, HtmlReport report, OutputFolder output, InspectOptions options, Query? query)
    {
        var audit = TableAudit.Run(data, options);
        QueryResult? result = null;
        QueryTable? table = null;
        string? artifact = null;
        if (query is not null)
        {
            result = query.Run(new TableQueryFields(audit));
            table = Table(audit, result, PrintedColumns);
            artifact = "query.csv";
            WriteRows(output.PathOf(artifact), audit, result);
            InspectReport.Query(report, result, Table(audit, result, int.MaxValue), null, "");
        }
        TableReport.Write(report, audit);
        return new InspectSection(audit.Findings, Summary(audit), result, table, artifact);
    }

    static QueryTable Table(TableAudit audit, QueryResult result, int columns)
    {
        var features = audit.Table.Features.Take(columns).ToList();
        return new QueryTable(["#", "split", "line", audit.Table.Target.Name, .. features.Select(c => c.Name)], result.Rows.Select((g, i) =>
        {
            int row = audit.RowOfGlobal[g];
            return (IReadOnlyList<string>)[(i + 1).ToString(), audit.Numbering.SplitName(g), audit.Table.LineNumbers[row].ToString(),
                audit.Table.Target.Raw[row] ?? "", .. features.Select(c => c.Raw[row] ?? "(missing)")];
        }).ToList());
    }

    /// <summary>query.csv: the query's rows with every column as read (missing values empty), their line and split first.</summary>
    static void WriteRows(string path, TableAudit audit, QueryResult result)
    {
        var columns = audit.Table.Features.Append(audit.Table.Target).ToList();
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", new[] { "line", "split" }.Concat(columns.Select(c => Csv(c.Name)))));
        foreach (var g in result.Rows)
        {
            int row = audit.RowOfGlobal[g];
            text.AppendLine(string.Join(",", new[] { audit.Table.LineNumbers[row].ToString(), audit.Numbering.SplitName(g) }
                .Concat(columns.Select(c => Csv(c.Raw[row] ?? "")))));
        }
        File.WriteAllText(path, text.ToString());
    }

    static string Csv(string value) => value.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    static object Summary(TableAudit audit) => new
    {
        Rows = audit.Table.RowCount,
        Target = audit.Table.Target.Name,
        Columns = audit.Columns.Select(c => new
        {
            c.Name, c.Kind, c.Missing, c.Distinct, c.Min, c.Median, c.Max, c.Outliers,
            TopValues = c.TopValues.Select(v => new { v.Value, v.Count }).ToList(),
            Predictive = audit.Power.First(p => p.Column == c.Name) is var p ? new { p.Score, p.Baseline } : null,
            TargetUnexplained = audit.Associations.First(a => a.Column == c.Name).Unexplained,
        }).ToList(),
        DuplicateRowGroups = audit.DuplicateRows.Select(g => g.Select(x => audit.Table.LineNumbers[audit.RowOfGlobal[x]]).ToList()).ToList(),
        Leakage = new
        {
            Predictive = "per-value (numbers: 20 quantile bins) majority class or mean target fitted on train, scored on validation and test",
            Unexplained = "numeric features: 1 − η² (classes) or 1 − Spearman ρ² (numeric target); categorical: the held-out lookup's share of the majority baseline's error",
            TargetLeakage.NearPerfect, TargetLeakage.FarAbove, TargetLeakage.IdentifierErrorReduction,
        },
    };
}
