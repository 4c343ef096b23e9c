using Recipe.Inspect;
using static TorchSharp.torch;

namespace Recipe.Tests.Inspect;

/// <summary>The vectorized statistics agree with a loopy, obviously correct version on real images.</summary>
public class ImageStatisticsTests
{
    [Fact]
    public void Given_real_images_When_statistics_are_computed_Then_they_match_a_per_pixel_oracle()
    {
        using var data = Fixtures.Sample();
        using var images = data.Train.Inputs.narrow(0, 0, 40);
        var pixels = TensorCopy.ToArray<byte>(images);
        Dictionary<string, float[]> fast;
        using (NewDisposeScope())
            fast = ImageStatistics.Of(images.to_type(float32).mean([1])).ToDictionary(p => p.Key, p => TensorCopy.ToArray<float>(p.Value));

        for (int n = 0; n < 40; n++)
        {
            var oracle = Oracle(pixels.AsSpan(n * 784, 784).ToArray(), 28, 28);
            foreach (var (name, value) in oracle)
                Assert.True(Math.Abs(fast[name][n] - value) <= 1e-3 * Math.Max(1, Math.Abs(value)) || (double.IsNaN(value) && float.IsNaN(fast[name][n])),
                    $"image {n}, {name}: vectorized {fast[name][n]}, oracle {value}");
        }
    }

    [Fact]
    public void Given_a_constant_image_When_statistics_are_computed_Then_it_has_no_content_and_no_box()
    {
        using var scope = NewDisposeScope();
        var s = ImageStatistics.Of(full(1, 28, 28, 77f));
        Assert.Equal(0f, s["contrast"].item<float>());
        Assert.Equal(0f, s["foreground"].item<float>());
        Assert.True(float.IsNaN(s["bbox_width"].item<float>()));
        Assert.True(float.IsNaN(s["centroid_x"].item<float>()));
    }

    static Dictionary<string, double> Oracle(byte[] image, int h, int w)
    {
        double P(int y, int x) => image[y * w + x];
        var all = image.Select(b => (double)b).ToArray();
        double mean = all.Average();
        var border = new List<double>();
        for (int x = 0; x < w; x++) { border.Add(P(0, x)); border.Add(P(h - 1, x)); }
        for (int y = 0; y < h; y++) { border.Add(P(y, 0)); border.Add(P(y, w - 1)); }
        border.Sort();
        double background = border[(border.Count + 1) / 2 - 1];   // the lower median, as kthvalue
        int top = h, bottom = -1, left = w, right = -1, content = 0;
        double mass = 0, sx = 0, sy = 0, laplacian = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double d = Math.Abs(P(y, x) - background);
                if (d > ImageStatistics.ContentLevel)
                {
                    content++;
                    top = Math.Min(top, y); bottom = Math.Max(bottom, y); left = Math.Min(left, x); right = Math.Max(right, x);
                    mass += d; sx += d * x; sy += d * y;
                }
                if (y > 0 && y < h - 1 && x > 0 && x < w - 1)
                    laplacian += Math.Abs(P(y - 1, x) + P(y + 1, x) + P(y, x - 1) + P(y, x + 1) - 4 * P(y, x));
            }
        return new Dictionary<string, double>
        {
            ["mean"] = mean,
            ["contrast"] = Math.Sqrt(all.Average(v => (v - mean) * (v - mean))),
            ["min"] = all.Min(),
            ["max"] = all.Max(),
            ["foreground"] = content / (double)(h * w),
            ["bbox_width"] = content == 0 ? double.NaN : right - left + 1,
            ["bbox_height"] = content == 0 ? double.NaN : bottom - top + 1,
            ["bbox_left"] = content == 0 ? double.NaN : left,
            ["bbox_top"] = content == 0 ? double.NaN : top,
            ["centroid_x"] = content == 0 ? double.NaN : sx / mass - (w - 1) / 2.0,
            ["centroid_y"] = content == 0 ? double.NaN : sy / mass - (h - 1) / 2.0,
            ["sharpness"] = laplacian / ((h - 2) * (w - 2)),
        };
    }
}
