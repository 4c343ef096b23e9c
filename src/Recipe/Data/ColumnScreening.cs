namespace Recipe.Data;

/// <summary>
/// The recipe's "smaller input" for a table: keep the half of the columns that say most about the target on their own
/// and show the model nothing of the rest. With few rows, a column that carries no signal is still a column a model
/// can memorise noise through; dropping it costs nothing, while dropping one whose signal shows only together with
/// others (an interaction) costs the model that signal — which is why it is an experiment, judged on validation, not a
/// default. Scored on the training split only: the validation split that judges the experiment has no say in it.
/// </summary>
public static class ColumnScreening
{
    /// <summary>The share of the columns `input half` keeps (at least one).</summary>
    public const double KeptShare = 0.5;

    /// <summary>
    /// The columns of <paramref name="data"/>'s table `input half` drops, in table order: the weakest half by the share of
    /// the target's variance one feature explains on the training split — the between-class share η² for classification,
    /// the squared correlation r² for regression — a column with several features (categories, a missing-value marker)
    /// counted by its best. Ties keep the earlier column.
    /// </summary>
    public static IReadOnlyList<string> DroppedColumns(Dataset data)
    {
        var table = data.Table ?? throw new ArgumentException($"'{data.Name}' is not a table: only a table's columns can be screened");
        var columnOf = ColumnOfFeature(table);
        var featureScores = FeatureScores(data);
        var columnScores = new double[table.Features.Count];
        for (int f = 0; f < columnOf.Length; f++) columnScores[columnOf[f]] = Math.Max(columnScores[columnOf[f]], featureScores[f]);
        int kept = Math.Max(1, (int)Math.Ceiling(table.Features.Count * KeptShare));
        var keptColumns = Enumerable.Range(0, columnScores.Length).OrderByDescending(c => columnScores[c]).ThenBy(c => c).Take(kept).ToHashSet();
        return Enumerable.Range(0, columnScores.Length).Where(c => !keptColumns.Contains(c)).Select(c => table.Features[c].Name).ToList();
    }

    /// <summary>Per feature of the table, 1 when its column is kept and 0 when it is in <paramref name="dropped"/>: a dropped column's features read as 0, its training mean.</summary>
    public static float[] FeatureMask(Table table, IReadOnlyCollection<string> dropped)
    {
        var columnOf = ColumnOfFeature(table);
        return columnOf.Select(c => dropped.Contains(table.Features[c].Name) ? 0f : 1f).ToArray();
    }

    /// <summary>
    /// The column each feature of the table comes from, in the featurizer's layout (<see cref="FeatureLayout"/>).
    /// </summary>
    public static int[] ColumnOfFeature(Table table)
    {
        var columnOf = new List<int>(table.FeatureNames.Count);
        for (int c = 0; c < table.Features.Count; c++)
        {
            columnOf.AddRange(Enumerable.Repeat(c, FeatureLayout.Count(table.Features[c])));
        }
        if (columnOf.Count != table.FeatureNames.Count)
            throw new InvalidOperationException($"the table's columns make {columnOf.Count} features, but it has {table.FeatureNames.Count}");
        return columnOf.ToArray();
    }

    /// <summary>Each feature's share of the target's variance on the training split (0 for a constant feature).</summary>
    static double[] FeatureScores(Dataset data)
    {
        var train = data.Train;
        int rows = train.Count, features = (int)train.Inputs.shape[1];
        using var inputs = train.Inputs.to_type(TorchSharp.torch.ScalarType.Float64);
        using var targets = train.Targets.to_type(TorchSharp.torch.ScalarType.Float64);
        var x = inputs.data<double>().ToArray();
        var y = targets.data<double>().ToArray();
        var scores = new double[features];
        for (int f = 0; f < features; f++)
        {
            var column = new double[rows];
            for (int r = 0; r < rows; r++) column[r] = x[r * features + f];
            scores[f] = data.Task == TaskKind.Classification ? BetweenClassShare(column, y) : SquaredCorrelation(column, y);
        }
        return scores;
    }

    /// <summary>η²: the share of the feature's variance that lies between the classes' means.</summary>
    static double BetweenClassShare(double[] x, double[] classes)
    {
        double mean = x.Average();
        double total = x.Sum(v => (v - mean) * (v - mean));
        if (total <= 0) return 0;
        double between = x.Zip(classes).GroupBy(p => p.Second)
            .Sum(g => g.Count() * Math.Pow(g.Average(p => p.First) - mean, 2));
        return between / total;
    }

    static double SquaredCorrelation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx <= 0 || syy <= 0 ? 0 : sxy * sxy / (sxx * syy);
    }
}
