using System.Text.Json.Serialization;
using Recipe.Data;

namespace Recipe.Interop;

/// <summary>How one CSV column became model features at training time, with the statistics fitted on the training rows.</summary>
/// <param name="Mean">Numeric columns: the training rows' mean (features are (value − mean) / std).</param>
/// <param name="Categories">Categorical columns: one one-hot feature per category, in this order.</param>
/// <param name="MissingIndicator">The column had missing values: one more 0/1 feature marks them.</param>
public sealed record FeatureColumn(string Name, ColumnKind Kind, double Mean, double Std, string[] Categories, bool MissingIndicator)
{
    /// <summary>How many model features this column makes (<see cref="FeatureLayout"/>).</summary>
    [JsonIgnore]
    public int FeatureCount => FeatureLayout.Count(Kind, Categories.Length, MissingIndicator);
}

/// <summary>The table a model was trained on: its columns, the target's name, and the features in tensor order.</summary>
public sealed record TableSchema(string TargetColumn, bool NoHeader, FeatureColumn[] Columns, string[] FeatureNames)
{
    /// <summary>
    /// The columns the model was trained without (stage 4's `input half`, <see cref="ColumnScreening"/>): their features
    /// are 0 — the training mean — as they were in training. Null: none. The CSV still names them, as it did in training.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? DroppedColumns { get; init; }

    /// <summary>
    /// The schema of <paramref name="data"/>'s table, statistics recomputed from its training rows as
    /// <see cref="CsvDataset"/> featurizes (<see cref="FeatureLayout.Scaling"/>).
    /// </summary>
    public static TableSchema Of(Dataset data, bool noHeader)
    {
        var table = data.Table ?? throw new ArgumentException($"'{data.Name}' is not a table");
        var trainRows = data.Train.SourceIndices;
        var columns = table.Features.Select(column =>
        {
            if (column.Kind == ColumnKind.Categorical)
                return new FeatureColumn(column.Name, column.Kind, 0, 1, column.Categories.ToArray(), column.MissingCount > 0);
            var (mean, std) = FeatureLayout.Scaling(column, trainRows);
            return new FeatureColumn(column.Name, column.Kind, mean, std, [], column.MissingCount > 0);
        }).ToArray();
        return new TableSchema(table.Target.Name, noHeader, columns, table.FeatureNames.ToArray());
    }

    /// <summary>The features of one row (values by column name; null = missing), in the model's order.</summary>
    /// <returns>The features, and the columns whose category was never seen in training (encoded as all zeros).</returns>
    public (float[] Features, List<string> UnseenCategories) Featurize(IReadOnlyDictionary<string, string?> row)
    {
        var features = new List<float>(FeatureNames.Length);
        var unseen = new List<string>();
        foreach (var column in Columns)
        {
            if (DroppedColumns?.Contains(column.Name) == true)
            {
                features.AddRange(Enumerable.Repeat(0f, column.FeatureCount));
                continue;
            }
            var raw = row[column.Name];
            if (column.Kind == ColumnKind.Numeric)
            {
                double value = CsvDataset.ParseNumber(raw);
                features.Add(double.IsNaN(value) ? 0f : (float)((value - column.Mean) / column.Std));
                if (column.MissingIndicator) features.Add(double.IsNaN(value) ? 1f : 0f);
            }
            else
            {
                foreach (var category in column.Categories) features.Add(raw == category ? 1f : 0f);
                if (column.MissingIndicator) features.Add(raw is null ? 1f : 0f);
                if (raw is not null && !column.Categories.Contains(raw)) unseen.Add(column.Name);
            }
        }
        return (features.ToArray(), unseen);
    }
}
