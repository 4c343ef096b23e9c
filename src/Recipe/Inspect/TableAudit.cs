using System.Globalization;
using Recipe.Data;

namespace Recipe.Inspect;

/// <summary>One column as the report shows it.</summary>
public sealed record ColumnProfile(string Name, string Kind, int Missing, int Distinct, double Min, double Median, double Max, IReadOnlyList<(string Value, int Count)> TopValues, int Outliers);

/// <summary>A feature's power to predict the target on held-out rows, alone (shown per column; an identifier with power is a leak).</summary>
/// <param name="Score">Accuracy (classes) or R² (regression) on validation and test rows of a per-value (or per-bin) lookup fitted on train.</param>
/// <param name="Baseline">The same for always predicting the training majority class (or mean).</param>
public sealed record FeaturePower(string Column, double Score, double Baseline);

/// <summary>
/// Stage 1 for CSV tables: per-column type, missing values, constant and high-cardinality columns,
/// outliers per numeric column, duplicate rows (and duplicates with different targets, across splits
/// too), target-leakage candidates (judged against the other features, see <see cref="TargetLeakage"/>) and
/// class imbalance.
/// </summary>
public sealed class TableAudit
{
    /// <summary>A column with at least this many distinct values (and most rows distinct) may be an identifier.</summary>
    public const int HighCardinality = 20;
    /// <summary>Numeric features are cut into this many quantile bins for the leakage lookup.</summary>
    const int Bins = 20;

    public required Dataset Data { get; init; }
    public required Table Table { get; init; }
    public required ExampleNumbering Numbering { get; init; }
    /// <summary>For each table row, its global number in <see cref="Numbering"/>; and back.</summary>
    public required int[] GlobalOfRow { get; init; }
    public required int[] RowOfGlobal { get; init; }
    /// <summary>Target of each row as an id (class index, or index of the distinct value for regression).</summary>
    public required long[] TargetIds { get; init; }
    public required IReadOnlyList<ColumnProfile> Columns { get; init; }
    public required IReadOnlyList<FeaturePower> Power { get; init; }
    /// <summary>How much of the target each feature leaves unexplained (the leakage rules' measure).</summary>
    public required IReadOnlyList<FeatureAssociation> Associations { get; init; }
    public required List<int[]> DuplicateRows { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }

    public static TableAudit Run(Dataset data, InspectOptions options)
    {
        var table = data.Table ?? throw new ArgumentException("a CSV dataset carries its table", nameof(data));
        var target = table.Target;
        int rows = table.RowCount;
        var splitOfRow = new string[rows];
        var globalOfRow = new int[rows];
        var rowOfGlobal = new int[rows];
        var distinctTargets = target.Raw.Distinct().ToList();
        var targetIds = data.Task == TaskKind.Classification
            ? target.Raw.Select(v => (long)ClassOf(data, v!)).ToArray()
            : target.Raw.Select(v => (long)distinctTargets.IndexOf(v)).ToArray();
        var numbering = new ExampleNumbering(data.Splits, id => id >= 0 && id < distinctTargets.Count && data.Task != TaskKind.Classification
            ? distinctTargets[(int)id] : ExampleNumbering.LabelName(data, id));
        for (int s = 0; s < numbering.Splits.Count; s++)
            for (int i = 0; i < numbering.Splits[s].Count; i++)
            {
                int row = (int)numbering.Splits[s].SourceIndices[i], global = numbering.Offset(s) + i;
                splitOfRow[row] = numbering.Splits[s].Name;
                globalOfRow[row] = global;
                rowOfGlobal[global] = row;
            }
        ExampleRef Ref(int row) => numbering.Ref(globalOfRow[row], targetIds[row]);

        var findings = new List<Finding>();
        var identifiers = new HashSet<string>();
        var profiles = new List<ColumnProfile>();
        foreach (var column in table.Features)
        {
            var present = column.Raw.Where(v => v is not null).ToList();
            int distinct = present.Distinct().Count();
            var scores = column.Kind == ColumnKind.Numeric ? ColumnOutliers.Scores(column.Numbers) : null;
            var z = scores?.Z;
            var outliers = z is null ? [] : Enumerable.Range(0, rows).Where(r => Math.Abs(z[r]) > options.OutlierZ).OrderByDescending(r => Math.Abs(z[r])).ToList();
            var numbers = column.Numbers.Where(v => !double.IsNaN(v)).Order().ToArray();
            profiles.Add(new ColumnProfile(column.Name, column.Kind == ColumnKind.Numeric ? "numeric" : "categorical", column.MissingCount, distinct,
                numbers.FirstOrDefault(double.NaN), RobustOutliers.Median(numbers), numbers.LastOrDefault(double.NaN),
                present.GroupBy(v => v!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(8).Select(g => (g.Key, g.Count())).ToList(),
                outliers.Count));

            if (column.MissingCount > 0)
            {
                var missing = Enumerable.Range(0, rows).Where(r => column.Raw[r] is null).ToList();
                findings.Add(new Finding(FindingKind.MissingValues, Splits(missing, splitOfRow),
                    $"column '{column.Name}' is missing in {missing.Count} of {rows} rows ({missing.Count / (double)rows:P1}); lines {Lines(table, missing)}",
                    missing.Select(Ref).ToList(), new Dictionary<string, double> { ["missing"] = missing.Count, ["share"] = missing.Count / (double)rows })
                { Subject = column.Name });
            }
            if (distinct <= 1)
                findings.Add(new Finding(FindingKind.ConstantColumn, "all",
                    distinct == 0 ? $"column '{column.Name}' has no values" : $"column '{column.Name}' has one value for every row: '{present[0]}' (it carries no information)",
                    [], new Dictionary<string, double> { ["distinct"] = distinct }) { Subject = column.Name });
            // Identifier-like: many distinct categories, or whole numbers nearly all distinct and packed in a
            // dense range (row numbers, customer numbers), unlike a measurement whose values spread out.
            bool identifierLike = column.Kind == ColumnKind.Categorical
                ? distinct >= HighCardinality && distinct >= 0.5 * present.Count
                : distinct >= HighCardinality && distinct >= 0.95 * present.Count && numbers.All(v => v == Math.Floor(v))
                  && numbers[^1] - numbers[0] + 1 <= 1.5 * distinct;
            if (identifierLike)
            {
                identifiers.Add(column.Name);
                findings.Add(new Finding(FindingKind.HighCardinality, "all",
                    $"column '{column.Name}' has {distinct} distinct values in {present.Count} rows: it looks like an identifier, which a model can only memorize",
                    [], new Dictionary<string, double> { ["distinct"] = distinct, ["rows"] = present.Count }) { Subject = column.Name });
            }
            if (outliers.Count > 0)
                findings.Add(new Finding(FindingKind.Outlier, Splits(outliers, splitOfRow),
                    $"{outliers.Count} outlier(s) in column '{column.Name}' (|robust z| > {options.OutlierZ}, {scores!.Scale}); most extreme line {table.LineNumbers[outliers[0]]}: {column.Raw[outliers[0]]} (z = {z![outliers[0]]:F1})",
                    outliers.Take(options.ListedOutliersPerColumn).Select(Ref).ToList(), outliers.Count,
                    new Dictionary<string, double> { ["limit"] = options.OutlierZ, ["max_abs_z"] = Math.Abs(z[outliers[0]]) }) { Subject = column.Name });
        }

        // Duplicate rows: identical features (the target may differ: then a label conflicts).
        var duplicateRows = Enumerable.Range(0, rows)
            .GroupBy(r => string.Join("\u001f", table.Features.Select(c => c.Raw[r] ?? "\u2400")))
            .Where(g => g.Count() > 1).Select(g => g.Select(r => globalOfRow[r]).Order().ToArray()).OrderBy(g => g[0]).ToList();
        var globalTargets = new long[rows];
        for (int r = 0; r < rows; r++) globalTargets[globalOfRow[r]] = targetIds[r];
        findings.AddRange(DuplicateFindings.From(duplicateRows, exact: true, numbering, globalTargets));

        var power = table.Features.Select(c => Predictive(data, c, target, splitOfRow, targetIds)).ToList();
        var leaks = TargetLeakage.Find(data.Task, table, targetIds, power, identifiers, out var associations);
        foreach (var leak in leaks)
            findings.Add(new Finding(FindingKind.LeakageCandidate, "all", leak.Message, [], rows, leak.Statistics) { Subject = leak.Column });

        if (data.Task == TaskKind.Classification && data.ClassCount > 1)
        {
            var trainCounts = Enumerable.Range(0, data.ClassCount).Select(c => Enumerable.Range(0, rows).Count(r => splitOfRow[r] == "train" && targetIds[r] == c)).ToArray();
            double ratio = trainCounts.Min() == 0 ? double.PositiveInfinity : trainCounts.Max() / (double)trainCounts.Min();
            if (ratio >= options.ImbalanceRatio)
                findings.Add(new Finding(FindingKind.Imbalance, "train",
                    $"classes are imbalanced in train: '{data.ClassNames[Array.IndexOf(trainCounts, trainCounts.Max())]}' has {trainCounts.Max()} rows, " +
                    $"'{data.ClassNames[Array.IndexOf(trainCounts, trainCounts.Min())]}' {trainCounts.Min()} (ratio {ratio:F1} ≥ {options.ImbalanceRatio})",
                    [], new Dictionary<string, double> { ["ratio"] = ratio, ["limit"] = options.ImbalanceRatio }));
        }

        return new TableAudit
        {
            Data = data, Table = table, Numbering = numbering, GlobalOfRow = globalOfRow, RowOfGlobal = rowOfGlobal, TargetIds = targetIds,
            Columns = profiles, Power = power, Associations = associations, DuplicateRows = duplicateRows, Findings = Finding.Ranked(findings),
        };
    }

    static int ClassOf(Dataset data, string value)
    {
        for (int c = 0; c < data.ClassCount; c++)
            if (data.ClassNames[c] == value) return c;
        var number = double.Parse(value, CultureInfo.InvariantCulture);   // numeric classes: "1.0" is class "1"
        for (int c = 0; c < data.ClassCount; c++)
            if (double.Parse(data.ClassNames[c], CultureInfo.InvariantCulture) == number) return c;
        return -1;
    }

    /// <summary>
    /// Fits value → majority class (or mean target) on the training rows, one entry per category or per
    /// quantile bin, and scores it on the validation and test rows.
    /// </summary>
    static FeaturePower Predictive(Dataset data, Column column, Column target, string[] splitOfRow, long[] targetIds)
    {
        int rows = column.Raw.Length;
        var train = Enumerable.Range(0, rows).Where(r => splitOfRow[r] == "train").ToArray();
        var held = Enumerable.Range(0, rows).Where(r => splitOfRow[r] != "train").ToArray();
        if (train.Length == 0 || held.Length == 0) return new FeaturePower(column.Name, double.NaN, double.NaN);
        Func<int, string> keyOf;
        if (column.Kind == ColumnKind.Numeric)
        {
            var sorted = train.Select(r => column.Numbers[r]).Where(v => !double.IsNaN(v)).Order().ToArray();
            var edges = sorted.Length == 0 ? [] : Enumerable.Range(1, Bins - 1).Select(b => sorted[(int)((long)b * (sorted.Length - 1) / Bins)]).Distinct().ToArray();
            keyOf = r =>
            {
                if (double.IsNaN(column.Numbers[r])) return "missing";
                int at = Array.BinarySearch(edges, column.Numbers[r]);
                return at >= 0 ? $"={at}" : $"<{~at}";   // a value on an edge is its own bin: exact values stay distinct
            };
        }
        else keyOf = r => column.Raw[r] ?? "missing";

        if (data.Task == TaskKind.Classification)
        {
            long majority = train.GroupBy(r => targetIds[r]).MaxBy(g => g.Count())!.Key;
            var lookup = train.GroupBy(keyOf).ToDictionary(g => g.Key, g => g.GroupBy(r => targetIds[r]).MaxBy(t => t.Count())!.Key);
            double score = held.Average(r => lookup.GetValueOrDefault(keyOf(r), majority) == targetIds[r] ? 1.0 : 0.0);
            double baseline = held.Average(r => majority == targetIds[r] ? 1.0 : 0.0);
            return new FeaturePower(column.Name, score, baseline);
        }
        double mean = train.Average(r => target.Numbers[r]);
        var means = train.GroupBy(keyOf).ToDictionary(g => g.Key, g => g.Average(r => target.Numbers[r]));
        double heldMean = held.Average(r => target.Numbers[r]);
        double total = held.Sum(r => Math.Pow(target.Numbers[r] - heldMean, 2));
        double residual = held.Sum(r => Math.Pow(target.Numbers[r] - means.GetValueOrDefault(keyOf(r), mean), 2));
        double meanResidual = held.Sum(r => Math.Pow(target.Numbers[r] - mean, 2));
        return new FeaturePower(column.Name, total == 0 ? double.NaN : 1 - residual / total, total == 0 ? double.NaN : 1 - meanResidual / total);
    }

    static string Splits(IEnumerable<int> rows, string[] splitOfRow) =>
        string.Join("+", rows.Select(r => splitOfRow[r]).Distinct().OrderBy(s => s switch { "train" => 0, "validation" => 1, _ => 2 }));

    static string Lines(Table table, IReadOnlyList<int> rows) =>
        string.Join(", ", rows.Take(8).Select(r => table.LineNumbers[r])) + (rows.Count > 8 ? ", …" : "");
}
