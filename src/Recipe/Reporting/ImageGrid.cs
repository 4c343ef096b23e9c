using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Reporting;

/// <summary>Draws images (a uint8 or [0, 1] float tensor of shape (N, C, H, W)) as one PNG grid.</summary>
public static class ImageGrid
{
    /// <param name="images">(N, C, H, W), C = 1 or 3; uint8 0..255 or float 0..1.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="scale">Pixels per image pixel.</param>
    /// <param name="labels">Optional caption under each image.</param>
    public static byte[] Render(Tensor images, int columns = 16, int scale = 2, IReadOnlyList<string>? labels = null)
    {
        using var scope = NewDisposeScope();
        var bytes = images.dtype == uint8 ? images : images.clamp(0, 1).mul(255).round().to_type(uint8);
        long n = bytes.shape[0], c = bytes.shape[1], h = bytes.shape[2], w = bytes.shape[3];
        var pixels = bytes.contiguous().data<byte>().ToArray();
        int rows = (int)Math.Max(1, (n + columns - 1) / columns);
        int labelHeight = labels is null ? 0 : 12;
        int cellW = (int)w * scale + 2, cellH = (int)h * scale + 2 + labelHeight;
        using var bitmap = new SKBitmap(Math.Max(1, columns * cellW), rows * cellH);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(230, 230, 230));
        using var font = new SKFont(SKTypeface.Default, 10);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (long i = 0; i < n; i++)
        {
            int x0 = (int)(i % columns) * cellW + 1, y0 = (int)(i / columns) * cellH + 1;
            long offset = i * c * h * w;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    byte r = pixels[offset + y * w + x];
                    byte g = c == 3 ? pixels[offset + h * w + y * w + x] : r;
                    byte b = c == 3 ? pixels[offset + 2 * h * w + y * w + x] : r;
                    var color = new SKColor(r, g, b);
                    for (int dy = 0; dy < scale; dy++)
                        for (int dx = 0; dx < scale; dx++)
                            bitmap.SetPixel(x0 + x * scale + dx, y0 + y * scale + dy, color);
                }
            if (labels is not null && i < labels.Count)
                canvas.DrawText(labels[(int)i], x0, y0 + h * scale + 10, SKTextAlign.Left, font, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
