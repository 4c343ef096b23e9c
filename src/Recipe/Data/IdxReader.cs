using System.Buffers.Binary;
using System.IO.Compression;

namespace Recipe.Data;

/// <summary>
/// Reads IDX files (the MNIST family): a 4-byte magic (0, 0, type, dimension count), one big-endian
/// int32 per dimension, then the data. Only unsigned bytes (type 0x08) are used by image datasets.
/// Gzip is detected from the content, not the name.
/// </summary>
public static class IdxReader
{
    const byte UnsignedByte = 0x08;

    /// <summary>An IDX array of bytes: its dimensions and the data, row-major.</summary>
    public sealed record IdxArray(int[] Dimensions, byte[] Data)
    {
        public int Count => Dimensions[0];
    }

    public static IdxArray Read(string path) => Read(File.ReadAllBytes(path), path);

    /// <summary>Parses IDX content (raw or gzip); <paramref name="name"/> names the file in errors.</summary>
    public static IdxArray Read(byte[] content, string name)
    {
        var bytes = IsGzip(content) ? Gunzip(content, name) : content;
        if (bytes.Length < 4)
            throw new DataException(name, "byte 0", $"a 4-byte IDX magic number, found only {bytes.Length} bytes");
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != UnsignedByte || bytes[3] is < 1 or > 4)
            throw new DataException(name, "byte 0",
                $"IDX magic 00 00 08 0N (unsigned bytes, 1 to 4 dimensions), found {bytes[0]:x2} {bytes[1]:x2} {bytes[2]:x2} {bytes[3]:x2}");

        int rank = bytes[3];
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new DataException(name, $"byte {bytes.Length}", $"{rank} dimension sizes in a {headerLength}-byte header, but the file ends");
        var dimensions = new int[rank];
        long expected = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dimensions[d] < 0)
                throw new DataException(name, $"byte {4 + 4 * d}", $"a non-negative dimension size, found {dimensions[d]}");
            expected *= dimensions[d];
        }
        long actual = bytes.Length - headerLength;
        if (actual < expected)
            throw new DataException(name, $"byte {bytes.Length}",
                $"{expected} data bytes for dimensions {string.Join("x", dimensions)} after the header, but the file ends after {actual} (truncated)");
        if (actual > expected)
            throw new DataException(name, $"byte {headerLength + expected}",
                $"the end of the file after {expected} data bytes, found {actual - expected} more");
        return new IdxArray(dimensions, bytes.AsSpan(headerLength).ToArray());
    }

    static bool IsGzip(byte[] content) => content.Length >= 2 && content[0] == 0x1f && content[1] == 0x8b;

    static byte[] Gunzip(byte[] content, string name)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            throw new DataException(name, "gzip stream", "a complete gzip stream (the compressed file is damaged or truncated)");
        }
        catch (EndOfStreamException)
        {
            throw new DataException(name, "gzip stream", "a complete gzip stream (the compressed file is truncated)");
        }
    }
}
