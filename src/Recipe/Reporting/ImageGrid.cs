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
        var pixels = bytes.contiguous().bytes.ToArray(); // one memory copy
        int rows = (int)Math.Max(1, (n + columns - 1) / columns);
        int labelHeight = labels is null ? 0 : 12;
        int cellW = (int)w * scale + 2, cellH = (int)h * scale + 2 + labelHeight;
        int width = Math.Max(1, columns * cellW), height = rows * cellH;
        // Fill an RGBA buffer (one write per pixel), then hand it to Skia once: SetPixel per pixel is slow.
        var rgba = new byte[width * height * 4];
        for (int p = 0; p < rgba.Length; p += 4) { rgba[p] = rgba[p + 1] = rgba[p + 2] = 230; rgba[p + 3] = 255; }
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
                    for (int dy = 0; dy < scale; dy++)
                    {
                        int at = ((y0 + y * scale + dy) * width + x0 + x * scale) * 4;
                        for (int dx = 0; dx < scale; dx++, at += 4) { rgba[at] = r; rgba[at + 1] = g; rgba[at + 2] = b; }
                    }
                }
        }
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using (var canvas = new SKCanvas(bitmap))
        using (var font = new SKFont(SKTypeface.Default, 10))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
            for (long i = 0; i < n && labels is not null && i < labels.Count; i++)
            {
                int x0 = (int)(i % columns) * cellW + 1, y0 = (int)(i / columns) * cellH + 1;
                canvas.DrawText(labels[(int)i], x0, y0 + h * scale + 10, SKTextAlign.Left, font, paint);
            }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
