namespace Recipe.Data;

/// <summary>
/// Refuses a CSV header row that is not one, which would otherwise quietly turn the first example into column
/// names (a file without a header) or shift every column (scikit-learn's raw CSVs, whose first line holds counts
/// and class names). Two signs, neither with a threshold: the header's field count differs from that of every
/// data row, or some header field could be one more value of its own column (a number heading a column of
/// numbers, or one of the words of a column of words). Real column names are neither.
/// </summary>
public static class HeaderCheck
{
    const string Advice = "pass --no-header if the file has no header row, or remove the line if it is neither names nor data";

    /// <exception cref="DataException">The header does not look like a row of column names.</exception>
    public static void Require(string path, string[] header, IReadOnlyList<CsvParser.Record> rows)
    {
        int width = rows[0].Fields.Length;
        if (width != header.Length && rows.All(r => r.Fields.Length == width))
            throw new DataException(path, "line 1 (header)", $"{width} fields like every data row below it, found {header.Length}: {Advice}");
        if (rows.Any(r => r.Fields.Length != header.Length)) return; // a ragged row; the reader names it

        var dataLike = header.Where((name, c) => LooksLikeValueOf(name, rows.Select(r => r.Fields[c].Trim()))).Select(name => $"'{name}'").ToArray();
        if (dataLike.Length == 0) return;
        var shown = string.Join(", ", dataLike.Take(3)) + (dataLike.Length > 3 ? ", …" : "");
        throw new DataException(path, "line 1 (header)", $"column names, found values like the data below them ({shown}): {Advice}");
    }

    /// <summary>
    /// A number among mostly numbers (as a column is numeric when most values are: a stray word in it is an error
    /// reported later), or a word that the column's rows also hold.
    /// </summary>
    static bool LooksLikeValueOf(string name, IEnumerable<string> values)
    {
        var present = values.Where(v => !CsvDataset.IsMissing(v)).ToArray();
        int numbers = present.Count(v => !double.IsNaN(CsvDataset.ParseNumber(v)));
        return numbers > CsvDataset.NumericShare * present.Length
            ? !double.IsNaN(CsvDataset.ParseNumber(name))
            : present.Contains(name, StringComparer.Ordinal);
    }
}
