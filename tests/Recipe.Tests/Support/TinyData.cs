using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Recipe.Tests.Support;

/// <summary>
/// Writes tiny datasets for tests: IDX files (raw or gzip), CSV and text files, PNG/JPEG image folders.
/// Every value is a simple function of its index, so a test can say exactly what it should read back.
/// </summary>
public static class TinyData
{
    static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // ---- IDX ----

    /// <summary>The IDX bytes of an unsigned-byte array: magic 00 00 08 rank, big-endian sizes, data.</summary>
    public static byte[] Idx(int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    /// <summary>Pixel (row, column) of image n in the tiny IDX images: distinct across nearby images.</summary>
    public static byte Pixel(int n, int row, int column, int columns) => (byte)((n * 7 + row * columns + column) % 256);

    /// <summary>Label of example n in the tiny IDX labels.</summary>
    public static byte Label(int n, int classes) => (byte)(n % classes);

    public static byte[] IdxImages(int count, int rows, int columns)
    {
        var data = new byte[count * rows * columns];
        for (int n = 0; n < count; n++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                    data[(n * rows + r) * columns + c] = Pixel(n, r, c, columns);
        return Idx([count, rows, columns], data);
    }

    public static byte[] IdxLabels(int count, int classes) =>
        Idx([count], Enumerable.Range(0, count).Select(n => Label(n, classes)).ToArray());

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(content);
        return output.ToArray();
    }

    /// <summary>Writes IDX content, gzip-compressed when the path ends in .gz.</summary>
    public static string WriteIdx(string path, byte[] idx)
    {
        File.WriteAllBytes(path, path.EndsWith(".gz", StringComparison.Ordinal) ? Gzip(idx) : idx);
        return path;
    }

    /// <summary>A folder with train-* and t10k-* image and label files, in the MNIST naming.</summary>
    public static string WriteIdxFolder(string folder, int trainCount, int testCount,
        int rows = 4, int columns = 3, int classes = 3, bool gzip = false)
    {
        Directory.CreateDirectory(folder);
        string Name(string file) => Path.Combine(folder, gzip ? file + ".gz" : file);
        WriteIdx(Name("train-images-idx3-ubyte"), IdxImages(trainCount, rows, columns));
        WriteIdx(Name("train-labels-idx1-ubyte"), IdxLabels(trainCount, classes));
        WriteIdx(Name("t10k-images-idx3-ubyte"), IdxImages(testCount, rows, columns));
        WriteIdx(Name("t10k-labels-idx1-ubyte"), IdxLabels(testCount, classes));
        return folder;
    }

    // ---- text and CSV ----

    /// <summary>Writes UTF-8 text without a byte-order mark.</summary>
    public static string WriteText(string path, string content)
    {
        File.WriteAllText(path, content, Utf8NoBom);
        return path;
    }

    /// <summary>Writes CSV lines joined by "\n", with a final newline.</summary>
    public static string WriteCsv(string path, params string[] lines) => WriteText(path, string.Join("\n", lines) + "\n");

    // ---- images ----

    /// <summary>Writes a solid image: 8-bit gray when <paramref name="gray"/>, else RGB.</summary>
    public static string WriteImage(string path, int width, int height, SKColor color,
        SKEncodedImageFormat format = SKEncodedImageFormat.Png, bool gray = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var info = new SKImageInfo(width, height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        bitmap.Erase(color);
        using var data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>
    /// Writes <paramref name="perClass"/> solid images into one subfolder per class, named 000.png, 001.png, ...
    /// Class c's images have the colour <paramref name="colors"/>[c].
    /// </summary>
    public static string WriteImageClasses(string folder, string[] classes, SKColor[] colors, int perClass,
        int width = 6, int height = 5, SKEncodedImageFormat format = SKEncodedImageFormat.Png, bool gray = false)
    {
        var extension = format == SKEncodedImageFormat.Jpeg ? ".jpg" : ".png";
        for (int c = 0; c < classes.Length; c++)
            for (int i = 0; i < perClass; i++)
                WriteImage(Path.Combine(folder, classes[c], $"{i:000}{extension}"), width, height, colors[c], format, gray);
        return folder;
    }
}
