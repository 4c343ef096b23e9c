using System.Globalization;
using Recipe.Data;

namespace Recipe.Diagnostics;

/// <summary>
/// An example as a person reads it, for the galleries of tables and text: a table row by its raw CSV values
/// (before standardizing and one-hot), a text line as characters; images are drawn instead (see <see cref="MistakeGallery"/>).
/// </summary>
public static class ExampleDescription
{
    public static string Of(Dataset data, DataSplit split, int index, int maxFeatures = 12)
    {
        string origin = split.OriginOf(index);
        if (data.Table is { } table && split.SourceIndices[index] < table.RowCount)
        {
            int row = (int)split.SourceIndices[index];
            var values = table.Features.Take(maxFeatures).Select(c => $"{c.Name}={c.Raw[row] ?? "(missing)"}");
            return $"{origin}: {string.Join(", ", values)}{(table.Features.Count > maxFeatures ? $", … ({table.Features.Count} columns)" : "")}";
        }
        if (data.Vocabulary is { } vocabulary)
        {
            using var line = split.Inputs[index];
            return $"{origin}: {vocabulary.DecodeLine(line.data<long>().ToArray())}";
        }
        if (split.Inputs.dim() == 2)
        {
            using var row = split.Inputs[index];
            var numbers = row.to_type(TorchSharp.torch.float64).data<double>().ToArray();
            return $"{origin}: {string.Join(", ", numbers.Take(maxFeatures).Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}{(numbers.Length > maxFeatures ? ", …" : "")}";
        }
        return origin;
    }
}
