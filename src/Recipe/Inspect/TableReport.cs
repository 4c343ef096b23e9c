using System.Globalization;
using Recipe.Data;
using Recipe.Reporting;

namespace Recipe.Inspect;

/// <summary>The table sections of report.html: columns, distributions, duplicate rows, each feature's predictive power.</summary>
public static class TableReport
{
    const int Histograms = 24;
    const int DuplicateGroups = 40;

    public static void Write(HtmlReport report, TableAudit audit)
    {
        var table = audit.Table;
        report.Heading("Columns");
        report.Paragraph($"{table.RowCount:N0} rows, {table.Features.Count} feature columns, target '{table.Target.Name}' ({audit.Data.Task}" +
                         (audit.Data.Task == TaskKind.Classification ? $", {audit.Data.ClassCount} classes" : "") + ").");
        var power = audit.Power.ToDictionary(p => p.Column);
        var association = audit.Associations.ToDictionary(a => a.Column);
        report.Table(["column", "type", "missing", "distinct", "min", "median", "max", "most common values", "outliers", "predicts target alone (held out)", "target left unexplained"],
            audit.Columns.Select(c => (IReadOnlyList<string>)[c.Name, c.Kind, c.Missing.ToString(), c.Distinct.ToString(), F(c.Min), F(c.Median), F(c.Max),
                string.Join(", ", c.TopValues.Take(4).Select(v => $"{v.Value} ({v.Count})")), c.Outliers.ToString(),
                $"{F(power[c.Name].Score)} (majority {F(power[c.Name].Baseline)})", $"{F(association[c.Name].Unexplained)} ({association[c.Name].Measure})"]));
        report.Paragraph($"Predictive power: a lookup from each value (numbers: each of 20 quantile bins) to the majority class or mean target, fitted on train and " +
                         $"scored on validation and test ({(audit.Data.Task == TaskKind.Classification ? "accuracy" : "R²")}). A strong feature is not a leak by itself: " +
                         $"a column is a leakage candidate when it maps one to one onto the classes, when it leaves ≤ {TargetLeakage.NearPerfect:P0} of the target unexplained " +
                         $"while the best other feature leaves ≥ {TargetLeakage.FarAbove}× more, or when an identifier removes ≥ {TargetLeakage.IdentifierErrorReduction:P0} of the majority's held-out errors.", "muted");

        report.Heading("Target");
        if (audit.Data.Task == TaskKind.Classification)
            report.Image(Charts.Bars("rows per class", audit.Data.ClassNames, Enumerable.Range(0, audit.Data.ClassCount)
                .Select(c => (double)audit.TargetIds.Count(t => t == c)).ToArray()), "Rows per class (all splits).");
        else
            report.Image(Charts.Histogram($"target {table.Target.Name}", table.Target.Name, table.Target.Numbers), "Distribution of the target.");

        report.Heading("Numeric columns");
        foreach (var column in table.Features.Where(c => c.Kind == ColumnKind.Numeric).Take(Histograms))
            report.Image(Charts.Histogram(column.Name, column.Name, column.Numbers), $"{column.Name}: {column.MissingCount} missing (not drawn).");

        report.Heading($"Duplicate rows (same features): {audit.DuplicateRows.Count} groups");
        report.Table(["group", "lines", "splits", "targets"], audit.DuplicateRows.Take(DuplicateGroups).Select((g, i) => (IReadOnlyList<string>)
            [(i + 1).ToString(), string.Join(", ", g.Select(x => table.LineNumbers[audit.RowOfGlobal[x]])),
             audit.Numbering.SplitsOf(g), string.Join(", ", g.Select(x => table.Target.Raw[audit.RowOfGlobal[x]]).Distinct())]));
    }

    static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("G4", CultureInfo.InvariantCulture);
}
