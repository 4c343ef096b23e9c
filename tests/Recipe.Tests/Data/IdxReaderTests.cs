using Recipe.Data;
using Recipe.Tests.Support;

namespace Recipe.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData("images-idx3-ubyte")]
    [InlineData("images-idx3-ubyte.gz")]
    public void Given_an_IDX_image_file_raw_or_gzip_When_read_Then_dimensions_and_every_byte_come_back(string name)
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteIdx(temp.Combine(name), TinyData.IdxImages(count: 5, rows: 4, columns: 3));

        var array = IdxReader.Read(path);

        Assert.Equal([5, 4, 3], array.Dimensions);
        Assert.Equal(5, array.Count);
        Assert.Equal(5 * 4 * 3, array.Data.Length);
        Assert.Equal(TinyData.Pixel(3, 2, 1, columns: 3), array.Data[(3 * 4 + 2) * 3 + 1]);
    }

    [Fact]
    public void Given_a_wrong_magic_number_When_read_Then_byte_0_is_blamed_and_the_bytes_found_are_shown()
    {
        var content = TinyData.IdxLabels(4, classes: 2);
        content[2] = 0x0D; // float data, not unsigned bytes

        var error = Assert.Throws<DataException>(() => IdxReader.Read(content, "labels.idx"));

        Assert.Equal("labels.idx", error.File);
        Assert.Equal("byte 0", error.Place);
        Assert.Contains("IDX magic 00 00 08", error.Expected);
        Assert.Contains("found 00 00 0d 01", error.Expected);
    }

    [Fact]
    public void Given_data_cut_short_When_read_Then_the_end_of_the_file_is_blamed_as_truncated()
    {
        var content = TinyData.IdxImages(count: 2, rows: 2, columns: 2); // 16-byte header + 8 data bytes
        var truncated = content[..^3];

        var error = Assert.Throws<DataException>(() => IdxReader.Read(truncated, "images.idx"));

        Assert.Equal($"byte {truncated.Length}", error.Place);
        Assert.Contains("8 data bytes", error.Expected);
        Assert.Contains("truncated", error.Expected);
    }

    [Fact]
    public void Given_a_header_cut_short_When_read_Then_the_missing_dimension_sizes_are_named()
    {
        var content = TinyData.IdxImages(count: 2, rows: 2, columns: 2)[..10];

        var error = Assert.Throws<DataException>(() => IdxReader.Read(content, "images.idx"));

        Assert.Equal("byte 10", error.Place);
        Assert.Contains("3 dimension sizes", error.Expected);
    }

    [Fact]
    public void Given_extra_bytes_after_the_data_When_read_Then_the_first_extra_byte_is_blamed()
    {
        byte[] content = [.. TinyData.IdxLabels(4, classes: 2), 9, 9];

        var error = Assert.Throws<DataException>(() => IdxReader.Read(content, "labels.idx"));

        Assert.Equal($"byte {8 + 4}", error.Place);
        Assert.Contains("2 more", error.Expected);
    }

    [Theory]
    [InlineData(5)]     // inside the gzip header
    [InlineData(0.5)]   // half the compressed data
    [InlineData(-8)]    // data complete, trailer cut off
    [InlineData(-1)]
    public void Given_a_truncated_gzip_file_When_read_Then_the_end_of_the_compressed_file_is_blamed_instead_of_reading_part_of_it(double cut)
    {
        var gzip = TinyData.Gzip(TinyData.IdxImages(count: 50, rows: 4, columns: 4));
        int length = cut switch { >= 1 => (int)cut, > 0 => (int)(gzip.Length * cut), _ => gzip.Length + (int)cut };
        var truncated = gzip[..length];

        var error = Assert.Throws<DataException>(() => IdxReader.Read(truncated, "images.gz"));

        Assert.Equal("images.gz", error.File);
        Assert.Equal($"byte {length}", error.Place);
        Assert.Contains("truncated", error.Expected);
    }

    [Fact]
    public void Given_a_wrong_magic_number_inside_gzip_When_read_Then_the_offset_is_said_to_count_decompressed_bytes()
    {
        var content = TinyData.IdxLabels(4, classes: 2);
        content[0] = 0x1f;

        var error = Assert.Throws<DataException>(() => IdxReader.Read(TinyData.Gzip(content), "labels.gz"));

        Assert.Equal("byte 0 (after decompression)", error.Place);
    }

    [Fact]
    public void Given_a_file_shorter_than_the_magic_When_read_Then_byte_0_is_blamed()
    {
        var error = Assert.Throws<DataException>(() => IdxReader.Read([0, 0], "tiny.idx"));

        Assert.Equal("byte 0", error.Place);
        Assert.Contains("found only 2 bytes", error.Expected);
    }
}
