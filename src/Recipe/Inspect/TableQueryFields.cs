using System.Globalization;
using Recipe.Data;

namespace Recipe.Inspect;

/// <summary>What --where and --sort see of a table: split, line, target (also as label), missing count and every column.</summary>
public sealed class TableQueryFields(TableAudit audit) : IQueryFields
{
    readonly Dictionary<string, Column> _columns = audit.Table.Features.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public int Count => audit.Numbering.Count;

    public IReadOnlyList<string> Fields { get; } =
        ["split", "line", audit.Table.Target.Name, "label", "missing", .. audit.Table.Features.Select(c => c.Name).Where(n => n is not ("split" or "line" or "label" or "missing"))];

    int Row(int global) => audit.RowOfGlobal[global];

    public double? Number(string field, int global)
    {
        int row = Row(global);
        if (field == "line") return audit.Table.LineNumbers[row];
        if (field == "missing") return audit.Table.Features.Count(c => c.Raw[row] is null);
        if (field == "label" || field == audit.Table.Target.Name)
            return audit.Data.Task == TaskKind.Classification ? audit.TargetIds[row] : audit.Table.Target.Numbers[row];
        return _columns.TryGetValue(field, out var column) && column.Kind == ColumnKind.Numeric ? column.Numbers[row] : null;
    }

    public string? Text(string field, int global)
    {
        int row = Row(global);
        if (field == "split") return audit.Numbering.SplitName(global);
        if (field == "label" || field == audit.Table.Target.Name) return audit.Table.Target.Raw[row];
        if (_columns.TryGetValue(field, out var column)) return column.Raw[row];
        return Number(field, global)?.ToString(CultureInfo.InvariantCulture);
    }
}
