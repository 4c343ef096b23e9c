using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>
/// Per-example statistics of images, computed with whole-chunk tensor ops (no per-pixel managed loop).
/// See <see cref="GrayChunks"/>.
/// Intensities are on the stored 0..255 scale of the gray image (RGB averaged); positions in pixels.
/// The background of an image is the median of its border pixels; a pixel is content when it differs
/// from the background by more than <see cref="ContentLevel"/>. Statistics of an image without content
/// (bounding box, centroid) are NaN.
/// </summary>
public sealed class ImageStatistics
{
    /// <summary>A pixel is content when it differs from the background by more than this (10% of 255).</summary>
    public const float ContentLevel = 25.5f;

    /// <summary>Statistic names (for --where and --sort), what each measures, and the smallest difference that matters (for outliers).</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning, double Resolution)> Definitions =
    [
        ("mean", "mean intensity (0..255)", 1),
        ("contrast", "standard deviation of intensity", 1),
        ("min", "darkest pixel", 4),
        ("max", "brightest pixel", 4),
        ("foreground", "fraction of pixels that differ from the background (the border median) by more than 25.5", 0.01),
        ("bbox_width", "width of the bounding box of the content, pixels", 1),
        ("bbox_height", "height of the bounding box of the content, pixels", 1),
        ("bbox_left", "left edge of the bounding box of the content", 1),
        ("bbox_top", "top edge of the bounding box of the content", 1),
        ("centroid_x", "x of the content's centre of mass, relative to the image centre", 0.5),
        ("centroid_y", "y of the content's centre of mass, relative to the image centre", 0.5),
        ("sharpness", "mean absolute Laplacian (edge strength)", 0.5),
    ];

    public static IEnumerable<string> Names => Definitions.Select(d => d.Name);

    readonly Dictionary<string, float[]> _values;

    ImageStatistics(Dictionary<string, float[]> values) => _values = values;

    /// <summary>Each statistic, one value per example in the numbering's order.</summary>
    public IReadOnlyDictionary<string, float[]> Values => _values;

    public float[] this[string name] => Values[name];

    public static bool IsStatistic(string name) => Definitions.Any(d => d.Name == name);

    /// <summary>An empty table of statistics for <paramref name="count"/> examples, filled by <see cref="Add"/>.</summary>
    public static ImageStatistics Empty(int count) => new(Names.ToDictionary(n => n, _ => new float[count]));

    /// <summary>Computes every statistic for every example of the numbering.</summary>
    public static ImageStatistics Compute(ExampleNumbering numbering)
    {
        var statistics = Empty(numbering.Count);
        GrayChunks.ForEach(numbering, statistics.Add);
        return statistics;
    }

    /// <summary>Computes the statistics of a chunk of gray images (N, H, W) whose first global number is <paramref name="start"/>.</summary>
    public void Add(int start, Tensor gray)
    {
        foreach (var (name, column) in Of(gray))
        {
            var data = TensorCopy.ToArray<float>(column.to_type(float32));
            Array.Copy(data, 0, _values[name], start, data.Length);
        }
    }

    /// <summary>The statistics of a chunk of gray images (N, H, W) on the 0..255 scale, as (N) tensors by name.</summary>
    public static Dictionary<string, Tensor> Of(Tensor gray)
    {
        long n = gray.shape[0], h = gray.shape[1], w = gray.shape[2];
        var flat = gray.reshape(n, h * w);
        var (std, mean) = flat.std_mean(1, unbiased: false);
        var background = BorderMedian(gray);                                // (N)
        var distance = (gray - background.view(n, 1, 1)).abs();            // (N, H, W)
        var content = distance > ContentLevel;

        var rowIndex = arange(h, dtype: float32).view(1, h);
        var colIndex = arange(w, dtype: float32).view(1, w);
        var rows = content.any(2);                                          // (N, H)
        var cols = content.any(1);                                          // (N, W)
        var none = rows.any(1).logical_not();
        var nan = tensor(float.NaN);
        var top = where(rows, rowIndex, tensor((float)h)).amin([1]);
        var bottom = where(rows, rowIndex, tensor(-1f)).amax([1]);
        var left = where(cols, colIndex, tensor((float)w)).amin([1]);
        var right = where(cols, colIndex, tensor(-1f)).amax([1]);

        // Centre of mass of the content, weighting each pixel by how far it is from the background.
        var weight = distance * content;
        var mass = weight.sum([1, 2]);
        var cy = (weight.sum(2) * rowIndex).sum(1) / mass - (h - 1) / 2.0;
        var cx = (weight.sum(1) * colIndex).sum(1) / mass - (w - 1) / 2.0;

        var sharpness = h >= 3 && w >= 3 ? Laplacian(gray).abs().mean([1, 2]) : zeros(n);
        return new Dictionary<string, Tensor>
        {
            ["mean"] = mean,
            ["contrast"] = std,
            ["min"] = flat.amin([1]),
            ["max"] = flat.amax([1]),
            ["foreground"] = content.to_type(float32).mean([1, 2]),
            ["bbox_width"] = where(none, nan, right - left + 1),
            ["bbox_height"] = where(none, nan, bottom - top + 1),
            ["bbox_left"] = where(none, nan, left),
            ["bbox_top"] = where(none, nan, top),
            ["centroid_x"] = where(none, nan, cx),
            ["centroid_y"] = where(none, nan, cy),
            ["sharpness"] = sharpness,
        };
    }

    /// <summary>Median of the border pixels of each image (N, H, W) → (N): the background level.</summary>
    public static Tensor BorderMedian(Tensor gray)
    {
        long h = gray.shape[1], w = gray.shape[2];
        var border = cat([gray.select(1, 0), gray.select(1, h - 1), gray.select(2, 0), gray.select(2, w - 1)], 1);
        return border.kthvalue((border.shape[1] + 1) / 2, 1).Item1;
    }

    /// <summary>The 4-neighbour Laplacian of the interior, (N, H, W) → (N, H-2, W-2), by shifted views (a
    /// one-channel conv2d is far slower on CPU).</summary>
    static Tensor Laplacian(Tensor gray)
    {
        long h = gray.shape[1] - 2, w = gray.shape[2] - 2;
        Tensor At(long dy, long dx) => gray.narrow(1, 1 + dy, h).narrow(2, 1 + dx, w);
        return At(-1, 0) + At(1, 0) + At(0, -1) + At(0, 1) - 4 * At(0, 0);
    }
}
