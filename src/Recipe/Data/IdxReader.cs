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
        bool gzip = IsGzip(content);
        var bytes = gzip ? Gunzip(content, name) : content;
        // Offsets in a compressed file's messages count bytes of the decompressed data, and say so.
        string At(long offset) => gzip ? $"byte {offset} (after decompression)" : $"byte {offset}";

        if (bytes.Length < 4)
            throw new DataException(name, At(0), $"a 4-byte IDX magic number, found only {bytes.Length} bytes");
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != UnsignedByte || bytes[3] is < 1 or > 4)
            throw new DataException(name, At(0),
                $"IDX magic 00 00 08 0N (unsigned bytes, 1 to 4 dimensions), found {bytes[0]:x2} {bytes[1]:x2} {bytes[2]:x2} {bytes[3]:x2}");

        int rank = bytes[3];
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new DataException(name, At(bytes.Length), $"{rank} dimension sizes in a {headerLength}-byte header, but the file ends");
        var dimensions = new int[rank];
        long expected = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dimensions[d] < 0)
                throw new DataException(name, At(4 + 4 * d), $"a non-negative dimension size, found {dimensions[d]}");
            expected *= dimensions[d];
        }
        long actual = bytes.Length - headerLength;
        if (actual < expected)
            throw new DataException(name, At(bytes.Length),
                $"{expected} data bytes for dimensions {string.Join("x", dimensions)} after the header, but the file ends after {actual} (truncated)");
        if (actual > expected)
            throw new DataException(name, At(headerLength + expected),
                $"the end of the file after {expected} data bytes, found {actual - expected} more");
        return new IdxArray(dimensions, bytes.AsSpan(headerLength).ToArray());
    }

    static bool IsGzip(byte[] content) => content.Length >= 2 && content[0] == 0x1f && content[1] == 0x8b;

    /// <summary>
    /// Decompresses a gzip file, refusing a truncated one. GZipStream does not: it returns whatever
    /// decompressed before the cut. So the decompressed size is checked against the size the gzip
    /// trailer records in its last 4 bytes (modulo 2^32), which a cut file almost never matches.
    /// Concatenated gzip members are not supported (IDX files are one member).
    /// </summary>
    static byte[] Gunzip(byte[] content, string name)
    {
        const int SmallestGzip = 18; // 10-byte header, empty deflate block, 8-byte trailer
        byte[] data;
        try
        {
            using var input = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            data = output.ToArray();
        }
        catch (InvalidDataException)
        {
            throw new DataException(name, "gzip stream", "a complete gzip stream (the compressed file is damaged or truncated)");
        }
        if (content.Length < SmallestGzip || BinaryPrimitives.ReadUInt32LittleEndian(content.AsSpan(content.Length - 4)) != (uint)data.Length)
            throw new DataException(name, $"byte {content.Length}",
                "the rest of the gzip stream, found the end of the file (truncated or damaged: its decompressed size does not match the size recorded at its end)");
        return data;
    }
}
