using System.Text;
using Recipe.Data;
using Recipe.Tests.Support;
using static TorchSharp.torch;

namespace Recipe.Tests.Data;

public class TextLinesDatasetTests
{
    static readonly string[] Words = ["apple", "be", "cab", "dab", "e", "fade", "bead", "ace", "deed", "cafe",
                                      "bad", "add", "face", "bee", "dead", "aced", "faced", "ebb", "fab", "ad"];

    [Fact]
    public void Given_lines_of_text_When_encoded_Then_each_target_is_the_next_input_with_boundaries_and_ignored_padding()
    {
        using var temp = new TempFolder();
        using var data = TextLinesDataset.Read(TinyData.WriteText(temp.Combine("words.txt"), string.Join("\n", Words) + "\n"));

        Assert.Equal(TaskKind.Sequence, data.Task);
        Assert.Equal([6L], data.ExampleShape); // longest line (5) + 1 boundary
        Assert.Equal(Words.Length, data.Splits.Sum(s => s.Count));
        Assert.Equal(Vocabulary.Boundary, data.Vocabulary!.Characters[0]);
        foreach (var split in data.Splits)
        {
            Assert.Equal(ScalarType.Int64, split.Inputs.dtype);
            var x = split.Inputs.data<long>().ToArray();
            var y = split.Targets.data<long>().ToArray();
            for (int i = 0; i < split.Count; i++)
            {
                var word = Words[split.SourceIndices[i]];
                int row = i * 6;
                Assert.Equal($"line {split.SourceIndices[i] + 1}", split.OriginOf(i));
                Assert.Equal(0, x[row]);                                            // starts with the boundary
                for (int t = 0; t < word.Length; t++)
                {
                    Assert.Equal(data.Vocabulary.Encode(word[t]), x[row + t + 1]);
                    Assert.Equal(x[row + t + 1], y[row + t]);                       // y[t] == x[t+1]
                }
                Assert.Equal(0, y[row + word.Length]);                              // predicts the end of the line
                for (int t = word.Length + 1; t < 6; t++) Assert.Equal(-1, y[row + t]); // nothing to predict after the end
                Assert.Equal(word, data.Vocabulary.DecodeLine(x.Skip(row).Take(6)));
            }
        }
    }

    [Fact]
    public void Given_empty_lines_and_CRLF_When_read_Then_empty_lines_are_skipped_noted_and_line_numbers_kept()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteText(temp.Combine("t.txt"), "ab\r\n\r\nba\r\n\r\n\r\naa\r\nb\r\na\r\nbb\r\nab\r\n");

        using var data = TextLinesDataset.Read(path);

        var origins = data.Splits.SelectMany(s => Enumerable.Range(0, s.Count).Select(s.OriginOf)).Order().ToArray();
        Assert.Equal(["line 1", "line 10", "line 3", "line 6", "line 7", "line 8", "line 9"], origins);
        Assert.Equal([Vocabulary.Boundary, 'a', 'b'], data.Vocabulary!.Characters);
        Assert.Contains("3 empty lines skipped", data.Notes);
    }

    [Fact]
    public void Given_a_byte_order_mark_When_read_Then_it_is_not_a_character_of_the_text()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("bom.txt");
        File.WriteAllText(path, "ab\nba\naa\nbb\na\nb\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        using var data = TextLinesDataset.Read(path);

        Assert.Equal([Vocabulary.Boundary, 'a', 'b'], data.Vocabulary!.Characters);
    }

    [Fact]
    public void Given_lines_longer_than_the_limit_When_read_Then_they_are_cut_and_counted_in_the_notes()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteText(temp.Combine("t.txt"), new string('a', TextLinesDataset.MaxLineLength + 5) + "\nb\nab\nba\nbb\naa\n");

        using var data = TextLinesDataset.Read(path);

        Assert.Equal([TextLinesDataset.MaxLineLength + 1L], data.ExampleShape);
        Assert.Contains($"1 lines longer than {TextLinesDataset.MaxLineLength} characters cut to {TextLinesDataset.MaxLineLength}", data.Notes);
    }

    [Fact]
    public void Given_an_empty_file_When_read_Then_byte_0_is_blamed()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteText(temp.Combine("empty.txt"), "");

        var error = Assert.Throws<DataException>(() => TextLinesDataset.Read(path));

        Assert.Equal(path, error.File);
        Assert.Equal("byte 0", error.Place);
        Assert.Contains("empty file", error.Expected);
    }

    [Fact]
    public void Given_only_blank_lines_When_read_Then_it_asks_for_a_non_empty_line()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteText(temp.Combine("blank.txt"), "\n\r\n\n");

        var error = Assert.Throws<DataException>(() => TextLinesDataset.Read(path));

        Assert.Contains("non-empty line", error.Expected);
    }

    [Fact]
    public void Given_bytes_that_are_not_UTF8_When_read_Then_the_first_bad_byte_is_blamed()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("latin1.txt");
        File.WriteAllBytes(path, [.. "abc\nd"u8, 0xE9, .. "f\n"u8]);

        var error = Assert.Throws<DataException>(() => TextLinesDataset.Read(path));

        Assert.Equal("line 2, byte 5", error.Place);
        Assert.Contains("UTF-8", error.Expected);
    }

    [Fact]
    public void Given_a_NUL_byte_When_read_Then_it_is_taken_for_a_binary_file_at_that_byte()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("binary.txt");
        File.WriteAllBytes(path, [.. "abc\nd"u8, 0, .. "f\n"u8]);

        var error = Assert.Throws<DataException>(() => TextLinesDataset.Read(path));

        Assert.Equal("line 2, byte 5", error.Place);
        Assert.Contains("NUL", error.Expected);
    }

    [Fact]
    public void Given_a_NUL_byte_after_a_byte_order_mark_When_read_Then_the_offset_counts_the_mark()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("binary.txt");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "ab"u8, 0, .. "\n"u8]);

        var error = Assert.Throws<DataException>(() => TextLinesDataset.Read(path));

        Assert.Equal("line 1, byte 5", error.Place);
    }

    [Fact]
    public void Given_the_boundary_character_inside_the_text_When_read_Then_its_line_is_blamed()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteText(temp.Combine("t.txt"), $"ab\nc{Vocabulary.Boundary}d\n");

        var error = Assert.Throws<DataException>(() => TextLinesDataset.Read(path));

        Assert.Equal("line 2, character 2", error.Place);
    }

    [Fact]
    public void Given_too_few_lines_for_a_test_split_When_read_Then_the_line_count_and_split_sizes_are_named()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteText(temp.Combine("t.txt"), "ab\nba\nabc\n");

        var error = Assert.Throws<DataException>(() => TextLinesDataset.Read(path));

        Assert.Equal("3 non-empty lines", error.Place);
        Assert.EndsWith("found 3: 3 train, 0 validation, 0 test", error.Expected);
    }
}
