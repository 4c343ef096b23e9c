namespace Recipe.Data;

/// <summary>
/// How a table's columns become model features — stated once, for everything that must agree on it: the featurizer
/// (<see cref="CsvDataset"/>), the column screening of stage 4 and model.json's schema that `recipe predict` follows.
/// </summary>
public static class FeatureLayout
{
    /// <summary>A numeric column is one feature, a categorical one a feature per category, and either one more 0/1 feature when it has missing values.</summary>
    public static int Count(ColumnKind kind, int categories, bool missingMarker) => (kind == ColumnKind.Numeric ? 1 : categories) + (missingMarker ? 1 : 0);

    /// <summary>The features a raw column makes.</summary>
    public static int Count(Column column) => Count(column.Kind, column.Categories.Count, column.MissingCount > 0);

    /// <summary>
    /// A numeric column's standardization, fitted on the training rows only (missing values left out): the mean, and the
    /// sample standard deviation (1 for a constant or single-valued column, so its feature is 0, not a division by 0).
    /// </summary>
    public static (double Mean, double Std) Scaling(Column column, IEnumerable<long> trainRows)
    {
        var present = trainRows.Select(r => column.Numbers[r]).Where(v => !double.IsNaN(v)).ToArray();
        double mean = present.Length > 0 ? present.Average() : 0;
        double std = present.Length > 1 ? Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / (present.Length - 1)) : 1;
        return (mean, std < 1e-12 ? 1 : std);
    }
}
