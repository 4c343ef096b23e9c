using SkiaSharp;

namespace Recipe.Data;

/// <summary>
/// Decodes one PNG or JPEG file with SkiaSharp and resizes it to a square. Refuses partial images:
/// SKBitmap.Decode quietly accepts a truncated file and fills the missing rows, which would put a
/// half-blank picture into the data with nobody told.
/// </summary>
public static class ImageDecoder
{
    /// <summary>
    /// The most pixels an image may have (a 8192x8192 picture: 256 MiB decoded as RGBA). A PNG of one color
    /// compresses 30,000x30,000 pixels into under a megabyte, so the size is read from the header and judged
    /// before any pixel memory is allocated.
    /// </summary>
    public const long MaxPixels = 8192L * 8192;

    /// <summary>Decodes and resizes to size x size RGB bytes (row-major, interleaved).</summary>
    /// <exception cref="DataException">The file is not a PNG/JPEG image, is damaged or is truncated.</exception>
    public static byte[] DecodeResized(string path, int size)
    {
        using var original = Decode(path);
        using var resized = original.Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear))
            ?? throw new DataException(path, "image data", $"an image SkiaSharp can resize to {size}x{size}");
        var rgba = resized.Bytes;
        var rgb = new byte[size * size * 3];
        for (int p = 0; p < size * size; p++)
        {
            rgb[3 * p] = rgba[4 * p];
            rgb[3 * p + 1] = rgba[4 * p + 1];
            rgb[3 * p + 2] = rgba[4 * p + 2];
        }
        return rgb;
    }

    static SKBitmap Decode(string path)
    {
        RegularFile.Require(path);
        using var codec = SKCodec.Create(path, out _)
            ?? throw new DataException(path, "byte 0", "a PNG or JPEG image, found content that is neither");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxPixels || width <= 0 || height <= 0)
            throw new DataException(path, $"{codec.EncodedFormat} header",
                $"an image of at most {MaxPixels / 1_000_000} million pixels, found {width}x{height} ({(long)width * height / 1_000_000} million)");
        var info = codec.Info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded == SKCodecResult.Success) return bitmap;
        bitmap.Dispose();
        throw decoded == SKCodecResult.IncompleteInput
            ? new DataException(path, $"byte {new FileInfo(path).Length}", $"the rest of the {codec.EncodedFormat} image, found the end of the file (truncated)")
            : new DataException(path, "image data", $"a decodable {codec.EncodedFormat} image, found damaged data ({decoded})");
    }
}
