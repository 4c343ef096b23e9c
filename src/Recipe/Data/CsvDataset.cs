using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// Builds a <see cref="Dataset"/> from a UTF-8 CSV table with a header row (or, with --no-header, columns named
/// col0, col1, …) and a named target column.
/// Columns are numeric when their values parse as numbers, categorical otherwise; missing values
/// (empty, NA, N/A, NaN, null, ?) stay visible in the <see cref="Table"/>. Features: numbers are
/// standardized with training statistics, a missing number becomes 0 plus a "missing" indicator,
/// categories are one-hot with "(missing)" as a category of its own.
/// </summary>
public static class CsvDataset
{
    static readonly HashSet<string> MissingMarkers = new(StringComparer.OrdinalIgnoreCase) { "", "NA", "N/A", "NaN", "null", "?" };
    /// <summary>
    /// A column is numeric when more than this share of its present values parse as finite numbers; its other
    /// values are then broken numbers and reported, not quietly turned into one-hot categories.
    /// </summary>
    internal const double NumericShare = 0.5;

    internal static bool IsMissing(string value) => MissingMarkers.Contains(value.Trim());

    public static Dataset Read(string path, string? targetColumn) => Read(path, new ReadOptions(targetColumn));

    public static Dataset Read(string path, ReadOptions options)
    {
        List<CsvParser.Record> records;
        using (var reader = new StringReader(Utf8Text.Read(path)))
            records = CsvParser.Parse(reader, path).ToList();
        if (records.Count == 0) throw new DataException(path, "line 1", $"{(options.NoHeader ? "a data row" : "a header row naming the columns")}, found an empty file");
        // Without a header row the columns are named by position, and every record is data.
        var header = options.NoHeader
            ? Enumerable.Range(0, records[0].Fields.Length).Select(c => $"col{c}").ToArray()
            : records[0].Fields.Select(h => h.Trim()).ToArray();
        var rows = options.NoHeader ? records : records.Skip(1).ToList();
        if (rows.Count == 0) throw new DataException(path, "line 2", "at least one data row after the header");
        if (!options.NoHeader) HeaderCheck.Require(path, header, rows);
        foreach (var row in rows)
            if (row.Fields.Length != header.Length)
                throw new DataException(path, $"line {row.Line}", $"{header.Length} fields as in {(options.NoHeader ? "the first line" : "the header")}, found {row.Fields.Length}");

        int target = TargetIndex(path, header, options.TargetColumn ?? header[^1], options.NoHeader);
        var columns = header.Select((name, c) => ReadColumn(path, name, rows, c)).ToArray();

        var targetCol = columns[target];
        var features = columns.Where((_, c) => c != target).ToArray();
        var lines = rows.Select(r => r.Line).ToArray();
        if (targetCol.MissingCount > 0)
        {
            int row = Array.FindIndex(targetCol.Raw, v => v is null);
            throw new DataException(path, $"line {lines[row]}, column '{targetCol.Name}'", "a target value in every row, found a missing one");
        }

        var task = TargetTask.Decide(path, targetCol, lines, options.Task, out var note);
        var classNames = task == TaskKind.Classification ? ClassNamesOf(targetCol) : [];
        var classOf = task == TaskKind.Classification ? targetCol.Raw.Select(v => IndexOfClass(classNames, v!)).ToArray() : null;

        // Carve test (20%) then validation (10% of the whole) before computing any statistic.
        var (rest, testRows) = SplitCarver.Carve(rows.Count, 0.2, classOf);
        var (trainLocal, validationLocal) = SplitCarver.Carve(rest.Length, 0.125, classOf is null ? null : rest.Select(i => classOf[i]).ToArray());
        var trainRows = trainLocal.Select(i => rest[i]).ToArray();
        var validationRows = validationLocal.Select(i => rest[i]).ToArray();
        SplitSizeCheck.Require(path, $"{rows.Count} data rows", "rows", trainRows.Length, validationRows.Length, testRows.Length);

        var (matrix, featureNames) = Featurize(features, trainRows);
        var targets = task == TaskKind.Classification
            ? classOf!.Select(c => (float)c).ToArray()
            : targetCol.Numbers.Select(v => (float)v).ToArray();

        DataSplit Make(string name, long[] picked)
        {
            int width = featureNames.Count;
            var x = new float[picked.Length * width];
            for (int i = 0; i < picked.Length; i++)
                Array.Copy(matrix, picked[i] * width, x, (long)i * width, width);
            var y = picked.Select(i => targets[i]).ToArray();
            var inputs = torch.tensor(x, dtype: float32).reshape(picked.Length, width);
            var targetTensor = task == TaskKind.Classification ? torch.tensor(y).to_type(int64) : torch.tensor(y, dtype: float32);
            return new DataSplit(name, inputs, targetTensor, picked.Select(i => $"line {lines[i]}").ToArray(), picked);
        }

        return new Dataset
        {
            Name = Path.GetFileNameWithoutExtension(path),
            Source = path,
            Format = DataFormat.Csv,
            Task = task,
            ClassNames = classNames,
            ExampleShape = [featureNames.Count],
            Train = Make("train", trainRows),
            Validation = Make("validation", validationRows),
            Test = Make("test", testRows),
            Table = new Table(path, features, targetCol, lines, featureNames),
            Notes = note is null ? [] : [note],
        };
    }

    /// <summary>The index of the target column, after checking the header names every column once.</summary>
    static int TargetIndex(string path, string[] header, string targetColumn, bool noHeader)
    {
        if (noHeader && Array.IndexOf(header, targetColumn) < 0)
            throw new DataException(path, "--target", $"a column named col0 to col{header.Length - 1} (with --no-header columns are named by position), found '{targetColumn}'");
        var repeated = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new DataException(path, "line 1 (header)", $"a different name for every column, found '{repeated.Key}' {repeated.Count()} times");
        int target = Array.IndexOf(header, targetColumn);
        if (target < 0)
            throw new DataException(path, "line 1 (header)", $"a column named '{targetColumn}'; the columns are: {string.Join(", ", header)}");
        if (header.Length < 2)
            throw new DataException(path, "line 1 (header)", $"at least one feature column besides the target '{targetColumn}'{SeparatorHint(header[0])}");
        return target;
    }

    /// <summary>A one-column header holding ';' or tabs is usually a file separated by something other than commas.</summary>
    static string SeparatorHint(string header) =>
        header.Contains(';') ? " (the header holds ';': Recipe reads comma-separated files)"
        : header.Contains('\t') ? " (the header holds tabs: Recipe reads comma-separated files)"
        : "";

    static Column ReadColumn(string file, string name, List<CsvParser.Record> rows, int c)
    {
        var raw = rows.Select(r => IsMissing(r.Fields[c]) ? null : r.Fields[c].Trim()).ToArray();
        var numbers = raw.Select(ParseNumber).ToArray();
        int present = raw.Count(v => v is not null);
        int numeric = numbers.Count(d => !double.IsNaN(d));
        if (present > 0 && numeric == present)
            return new Column(name, ColumnKind.Numeric, raw, numbers, []);
        if (present > 0 && numeric > NumericShare * present)
        {
            // Mostly numbers with a few words: a broken value in a numeric column, not a category.
            int row = Enumerable.Range(0, raw.Length).First(i => raw[i] is not null && double.IsNaN(numbers[i]));
            throw new DataException(file, $"line {rows[row].Line}, column '{name}'",
                $"a number ({numeric} of {present} values in this column are numbers; write NA for a missing value), found '{raw[row]}'");
        }
        var categories = raw.Where(v => v is not null).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new Column(name, ColumnKind.Categorical, raw, raw.Select(_ => double.NaN).ToArray(), categories!);
    }

    /// <summary>The value as a finite number, or NaN when missing or not a number ("Infinity" is not one: it would poison the statistics).</summary>
    internal static double ParseNumber(string? value) =>
        value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : double.NaN;

    static string[] ClassNamesOf(Column target) => target.Kind == ColumnKind.Numeric
        ? target.Numbers.Distinct().Order().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()
        : target.Categories.ToArray();

    static int IndexOfClass(string[] classNames, string value)
    {
        int index = Array.IndexOf(classNames, value);
        if (index >= 0) return index;
        // Numeric classes: match by value ("1.0" and "1" are one class).
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return Array.FindIndex(classNames, n => double.Parse(n, CultureInfo.InvariantCulture) == number);
    }

    /// <summary>Row-major (rows x features) matrix of all rows, with statistics from the training rows only, in <see cref="FeatureLayout"/>'s layout.</summary>
    static (float[] Matrix, List<string> Names) Featurize(Column[] features, long[] trainRows)
    {
        int rowCount = features.Length == 0 ? 0 : features[0].Raw.Length;
        var blocks = new List<(string Name, Func<int, float> Value)>();
        foreach (var column in features)
        {
            if (column.Kind == ColumnKind.Numeric)
            {
                var (mean, std) = FeatureLayout.Scaling(column, trainRows);
                var col = column;
                blocks.Add((col.Name, r => double.IsNaN(col.Numbers[r]) ? 0f : (float)((col.Numbers[r] - mean) / std)));
                if (col.MissingCount > 0)
                    blocks.Add(($"{col.Name} (missing)", r => double.IsNaN(col.Numbers[r]) ? 1f : 0f));
            }
            else
            {
                var col = column;
                foreach (var category in col.Categories)
                    blocks.Add(($"{col.Name}={category}", r => col.Raw[r] == category ? 1f : 0f));
                if (col.MissingCount > 0)
                    blocks.Add(($"{col.Name}=(missing)", r => col.Raw[r] is null ? 1f : 0f));
            }
        }
        var matrix = new float[rowCount * blocks.Count];
        for (int r = 0; r < rowCount; r++)
            for (int f = 0; f < blocks.Count; f++)
                matrix[r * blocks.Count + f] = blocks[f].Value(r);
        return (matrix, blocks.Select(b => b.Name).ToList());
    }
}
