namespace Recipe.Data;

/// <summary>Whether a CSV column holds numbers or categories.</summary>
public enum ColumnKind { Numeric, Categorical }

/// <summary>
/// One raw CSV column. Missing values stay visible: null in <see cref="Raw"/>, NaN in
/// <see cref="Numbers"/>. Nothing is dropped or imputed here; the featurizer decides that, openly.
/// </summary>
public sealed record Column(string Name, ColumnKind Kind, string?[] Raw, double[] Numbers, IReadOnlyList<string> Categories)
{
    public int MissingCount => Raw.Count(v => v is null);
}

/// <summary>The raw table a CSV dataset was read from, in file order, and how it became features.</summary>
/// <param name="LineNumbers">The CSV line number of each row (1 = header), for messages and findings.</param>
/// <param name="FeatureNames">The model's input features in tensor order (one-hot and missing indicators expanded).</param>
public sealed record Table(
    string File,
    IReadOnlyList<Column> Features,
    Column Target,
    int[] LineNumbers,
    IReadOnlyList<string> FeatureNames)
{
    public int RowCount => LineNumbers.Length;
}
