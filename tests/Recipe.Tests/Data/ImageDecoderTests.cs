using System.Buffers.Binary;
using System.IO.Compression;
using Recipe.Data;
using Recipe.Tests.Support;

namespace Recipe.Tests.Data;

/// <summary>An image's size is judged from its header, before any pixel memory is allocated.</summary>
public class ImageDecoderTests
{
    /// <summary>
    /// A PNG whose header declares width x height 8-bit gray pixels, followed by a few compressed rows (a
    /// solid 30,000 x 30,000 PNG is under a megabyte; its first rows are enough for the header to be read).
    /// </summary>
    internal static byte[] PngDeclaring(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; color type 0 (gray), default compression, filter and no interlace
        using var rows = new MemoryStream();
        using (var zlib = new ZLibStream(rows, CompressionLevel.Fastest, leaveOpen: true))
            zlib.Write(new byte[4 * (width + 1)]);
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", rows.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    static void WriteChunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typed = [.. type.Select(c => (byte)c), .. data];
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    /// <summary>The CRC-32 a PNG chunk ends with (polynomial 0xEDB88320).</summary>
    static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void Given_a_small_PNG_declaring_30000_by_30000_pixels_When_decoded_Then_the_file_and_its_size_are_named()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("huge.png");
        File.WriteAllBytes(path, PngDeclaring(30_000, 30_000));

        var error = Assert.Throws<DataException>(() => ImageDecoder.DecodeResized(path, 8));

        Assert.Equal(path, error.File);
        Assert.Equal("Png header", error.Place);
        Assert.Equal("an image of at most 67 million pixels, found 30000x30000 (900 million)", error.Expected);
    }

    [Fact]
    public void Given_the_same_kind_of_PNG_within_the_limit_When_decoded_Then_it_is_read()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("small.png");
        File.WriteAllBytes(path, PngDeclaring(6, 4));

        var rgb = ImageDecoder.DecodeResized(path, 8);

        Assert.Equal(8 * 8 * 3, rgb.Length);
    }

    [Fact]
    public void Given_a_huge_image_in_a_folder_read_for_an_audit_When_read_Then_it_is_skipped_and_noted()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, ["a", "b"], [SkiaSharp.SKColors.Red, SkiaSharp.SKColors.Blue], perClass: 10);
        File.WriteAllBytes(temp.Combine("a", "huge.png"), PngDeclaring(30_000, 30_000));

        using var data = ImageFolderDataset.Read(temp.Path, size: 6, skipUnreadable: true);

        Assert.Contains(data.Notes, n => n.Contains("huge.png") && n.Contains("30000x30000"));
    }
}
