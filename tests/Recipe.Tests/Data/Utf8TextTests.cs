using Recipe.Data;
using Recipe.Tests.Support;

namespace Recipe.Tests.Data;

/// <summary>A CSV that is not UTF-8 is refused at the first bad byte, never read with U+FFFD in its values.</summary>
public class Utf8TextTests
{
    [Fact]
    public void Given_a_Latin1_CSV_When_read_Then_the_line_and_byte_of_the_first_bad_byte_are_named()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("cafes.csv");
        // "café" in Latin-1: é is the single byte 0xE9, byte 19 of the file, on line 3
        File.WriteAllBytes(path, [.. "x,label\n1,tea\n2,caf"u8, 0xE9, .. "\n3,tea\n"u8]);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 3, byte 19", error.Place);
        Assert.StartsWith("UTF-8 text, found byte 0xE9 (Latin-1", error.Expected);
    }

    [Fact]
    public void Given_the_same_CSV_in_UTF8_When_read_Then_the_class_name_is_the_word_written()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("cafes.csv"), ["x,label", .. Enumerable.Range(0, 20).Select(i => $"{i},{(i % 2 == 0 ? "café" : "tea")}")]);

        using var data = CsvDataset.Read(path, targetColumn: null);

        Assert.Equal(["café", "tea"], data.ClassNames);
    }

    [Fact]
    public void Given_a_UTF16_CSV_When_read_Then_the_byte_order_mark_is_named_as_the_likely_cause()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("t.csv");
        File.WriteAllText(path, "x,label\n1,a\n", System.Text.Encoding.Unicode);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 1, byte 0", error.Place);
        Assert.Contains("UTF-16", error.Expected);
    }

    [Fact]
    public void Given_a_sequence_cut_at_the_end_of_the_file_When_decoded_Then_its_first_byte_is_blamed()
    {
        var error = Assert.Throws<DataException>(() => Utf8Text.Decode([.. "ab\n"u8, 0xC3], "t.csv"));

        Assert.Equal("line 2, byte 3", error.Place);
    }

    [Fact]
    public void Given_a_byte_order_mark_When_decoded_Then_it_is_not_part_of_the_text()
    {
        Assert.Equal("a,b", Utf8Text.Decode([0xEF, 0xBB, 0xBF, .. "a,b"u8], "t.csv"));
    }

    [Fact]
    public void Given_a_gzip_compressed_CSV_When_read_Then_the_compression_is_named_as_the_cause()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("digits.csv");
        File.WriteAllBytes(path, TinyData.Gzip("x,label\n1,a\n"u8.ToArray()));

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.EndsWith("(the file is gzip-compressed: gunzip it first)", error.Expected);
    }
}
