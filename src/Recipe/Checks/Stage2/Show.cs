using System.Globalization;
using Recipe.Data;
using Recipe.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>Small helpers the stage-2 checks share to turn tensors into evidence a person can read.</summary>
static class Show
{
    public static string N(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
    public static string P(double share) => share.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>True for image data: stored inputs (N, C, H, W).</summary>
    public static bool IsImages(Dataset data) => data.ExampleShape.Length == 3;

    /// <summary>A label as a short caption: the class name (cut to fit under a small image), or the value.</summary>
    public static string Label(Dataset data, double label, int width = 9)
    {
        if (data.Task != TaskKind.Classification) return N(label);
        int index = (int)label;
        var name = index >= 0 && index < data.ClassCount ? data.ClassNames[index] : $"#{index}";
        return name.Length <= width ? name : name[..width];
    }

    /// <summary>Model inputs as pictures, through a fixed window: −3 is black, 0 mid-gray, +3 white.</summary>
    public static byte[] ModelInputImages(Tensor modelInput, IReadOnlyList<string>? labels, int columns = 8)
    {
        using var scope = NewDisposeScope();
        var window = modelInput.detach().to_type(float32).add(3).div(6).clamp(0, 1);
        return ImageGrid.Render(window, columns, scale: 2, labels);
    }

    /// <summary>Token ids decoded to characters; the boundary shows as ␀ and ignored targets (−1) as ·.</summary>
    public static string Tokens(Vocabulary? vocabulary, IEnumerable<long> tokens) =>
        new(tokens.Select(t => t < 0 ? '·' : vocabulary?.Decode(t) ?? '?').ToArray());

    /// <summary>The values of a tensor as doubles (small tensors only).</summary>
    public static double[] Values(Tensor tensor)
    {
        using var flat = tensor.detach().flatten().to_type(float64);
        return flat.data<double>().ToArray();
    }

    /// <summary>Row <paramref name="row"/> of an int64 tensor of shape (N, T).</summary>
    public static long[] Row(Tensor tokens, long row)
    {
        using var r = tokens[row].to_type(int64).contiguous();
        return r.data<long>().ToArray();
    }

    /// <summary>Each row divided by its largest entry (rows of zeros stay zero): for dependence heatmaps.</summary>
    public static double[,] RowScaled(double[,] matrix)
    {
        int n = matrix.GetLength(0), m = matrix.GetLength(1);
        var scaled = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            double top = Enumerable.Range(0, m).Max(j => matrix[i, j]);
            for (int j = 0; j < m; j++) scaled[i, j] = top > 0 ? matrix[i, j] / top : 0;
        }
        return scaled;
    }
}
