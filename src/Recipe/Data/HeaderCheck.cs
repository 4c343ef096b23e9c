namespace Recipe.Data;

/// <summary>
/// Refuses a CSV header row that looks like data, which would otherwise quietly turn the first example into
/// column names (a file without a header, or scikit-learn's raw iris.csv whose first line is counts and class
/// names). A name looks like data when it could be one more value of its own column: a number heading a
/// column of numbers, or one of the categories of a column of words. No threshold: real column names are
/// neither.
/// </summary>
public static class HeaderCheck
{
    /// <param name="columns">The columns as read from the rows below the header.</param>
    /// <exception cref="DataException">Some header field looks like a value of its column.</exception>
    public static void RequireNames(string path, string[] header, IReadOnlyList<Column> columns)
    {
        var dataLike = header.Where((name, c) => LooksLikeValueOf(name, columns[c])).Select(name => $"'{name}'").ToArray();
        if (dataLike.Length == 0) return;
        var shown = string.Join(", ", dataLike.Take(3)) + (dataLike.Length > 3 ? ", …" : "");
        throw new DataException(path, "line 1 (header)",
            $"column names, found values like the data below them ({shown}): pass --no-header if the file has no header row, or remove the line if it is neither names nor data");
    }

    static bool LooksLikeValueOf(string name, Column column) => column.Kind == ColumnKind.Numeric
        ? !double.IsNaN(CsvDataset.ParseNumber(name))
        : column.Categories.Contains(name, StringComparer.Ordinal);
}
