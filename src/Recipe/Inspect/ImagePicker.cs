using Recipe.Reporting;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>Draws chosen examples (global numbers, from any splits) as one image grid.</summary>
public static class ImagePicker
{
    /// <summary>The images (n, C, H, W) uint8 of the given examples, in the given order.</summary>
    public static Tensor Gather(ExampleNumbering numbering, IReadOnlyList<int> globals)
    {
        var parts = globals.Select(g =>
        {
            var (s, i) = numbering.Locate(g);
            return numbering.Splits[s].Inputs.narrow(0, i, 1);
        }).ToArray();
        return cat(parts, 0);
    }

    /// <summary>A PNG grid of the given examples with one caption each.</summary>
    public static byte[] Grid(ExampleNumbering numbering, IReadOnlyList<int> globals, Func<int, string>? caption = null, int columns = 16, int scale = 2)
    {
        using var scope = NewDisposeScope();
        if (globals.Count == 0) return ImageGrid.Render(zeros(0, 1, 1, 1, dtype: uint8), columns, scale);
        return ImageGrid.Render(Gather(numbering, globals), Math.Min(columns, globals.Count), scale, caption is null ? null : globals.Select(caption).ToArray());
    }
}
