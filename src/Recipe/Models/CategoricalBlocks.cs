using Recipe.Data;

namespace Recipe.Models;

/// <summary>One categorical column's one-hot block in a table's feature vector: where it starts and how many codes it has.</summary>
/// <param name="Column">The CSV column's name.</param>
/// <param name="Start">Index of its first one-hot feature.</param>
/// <param name="Count">Its categories, "(missing)" included when the column has missing values.</param>
public sealed record CategoricalBlock(string Column, int Start, int Count);

/// <summary>
/// Where the categorical columns of a CSV dataset sit in its feature vector. <see cref="CsvDataset"/> one-hot encodes a
/// categorical column into consecutive features named "column=category" (then "column=(missing)"); an embedding model
/// needs each block's span to turn it back into a code. The spans are read from the feature names, so they follow the
/// featurizer rather than repeat its layout rules.
/// </summary>
public static class CategoricalBlocks
{
    /// <summary>The blocks of <paramref name="data"/>'s categorical columns, in feature order; empty without a table.</summary>
    public static IReadOnlyList<CategoricalBlock> Of(Dataset data)
    {
        if (data.Table is not { } table) return [];
        var names = table.FeatureNames;
        var blocks = new List<CategoricalBlock>();
        foreach (var column in table.Features.Where(c => c.Kind == ColumnKind.Categorical))
        {
            string[] codes = [.. column.Categories.Select(c => $"{column.Name}={c}"), .. column.MissingCount > 0 ? [$"{column.Name}=(missing)"] : Array.Empty<string>()];
            if (codes.Length < 2) continue; // one code is a constant feature: nothing to embed
            int start = IndexOf(names, codes[0]);
            for (int i = 1; i < codes.Length; i++)
                if (start < 0 || start + i >= names.Count || names[start + i] != codes[i])
                    throw new InvalidOperationException($"the one-hot features of column '{column.Name}' are not consecutive as expected (looked for '{codes[i]}' at feature {start + i})");
            blocks.Add(new CategoricalBlock(column.Name, start, codes.Length));
        }
        return blocks;
    }

    static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }
}
