using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Recipe.Data;

/// <summary>
/// Reads a text file as UTF-8 and refuses anything else, naming the line and byte: a lenient decoder
/// turns a Latin-1 'é' into U+FFFD, and the table or the vocabulary then holds a character the user
/// never wrote. A leading byte-order mark is dropped; a NUL byte means a binary file.
/// </summary>
public static class Utf8Text
{
    static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <exception cref="DataException">The file is not UTF-8 text.</exception>
    public static string Read(string path)
    {
        RegularFile.Require(path);
        return Decode(File.ReadAllBytes(path), path);
    }

    public static string Decode(byte[] bytes, string path)
    {
        int start = bytes.AsSpan().StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
        var content = bytes.AsSpan(start);
        if (!Utf8.IsValid(content))
        {
            int bad = start + FirstInvalid(content);
            throw new DataException(path, Place(bytes, bad), $"UTF-8 text, found byte 0x{bytes[bad]:X2}{EncodingHint(bytes)}");
        }
        int nul = content.IndexOf((byte)0);
        if (nul >= 0)
            throw new DataException(path, Place(bytes, start + nul), "text, found a NUL byte (is this a binary file?)");
        return Encoding.UTF8.GetString(content);
    }

    /// <summary>"line L, byte B" (1-based line, 0-based byte), so an editor and a hex dump both find it.</summary>
    static string Place(byte[] bytes, int offset) => $"line {bytes.AsSpan(0, offset).Count((byte)'\n') + 1}, byte {offset}";

    static int FirstInvalid(ReadOnlySpan<byte> content)
    {
        int at = 0;
        while (at < content.Length)
        {
            if (Rune.DecodeFromUtf8(content[at..], out _, out int length) != OperationStatus.Done) return at;
            at += length;
        }
        return content.Length;
    }

    /// <summary>What the file likely is, when its first bytes say: UTF-16, gzip or zip; else a single-byte code page.</summary>
    static string EncodingHint(byte[] bytes) => bytes switch
    {
        [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => " (the file starts with a UTF-16 byte-order mark: save it as UTF-8)",
        [0x1F, 0x8B, ..] => " (the file is gzip-compressed: gunzip it first)",
        [(byte)'P', (byte)'K', 3, 4, ..] => " (the file is a zip archive: unzip it first)",
        _ => " (Latin-1 or Windows-1252 text? convert it, e.g. iconv -f latin1 -t utf-8)",
    };
}
