using Recipe.Data;

namespace Recipe.Tests.Data;

public class CsvParserTests
{
    static List<CsvParser.Record> Parse(string text) => CsvParser.Parse(new StringReader(text), "t.csv").ToList();

    [Fact]
    public void Given_quoted_fields_When_parsed_Then_commas_doubled_quotes_and_newlines_stay_inside_the_field()
    {
        var records = Parse("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",3\nlast,4\n");

        Assert.Equal(4, records.Count);
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(["two\nlines", "3"], records[2].Fields);
        Assert.Equal([1, 2, 3, 5], records.Select(r => r.Line));
    }

    [Fact]
    public void Given_CRLF_line_ends_blank_lines_and_no_final_newline_When_parsed_Then_records_and_line_numbers_are_right()
    {
        var records = Parse("a,b\r\n1,2\r\n\r\n3,\r\n4,5");

        Assert.Equal([["a", "b"], ["1", "2"], ["3", ""], ["4", "5"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 4, 5], records.Select(r => r.Line));
    }

    [Fact]
    public void Given_a_quote_that_never_closes_When_parsed_Then_the_line_it_opened_on_is_blamed()
    {
        var error = Assert.Throws<DataException>(() => Parse("a,b\n1,2\n\"open,3\n4,5\n"));

        Assert.Equal("t.csv", error.File);
        Assert.Equal("line 3", error.Place);
        Assert.Contains("closing quote", error.Expected);
    }
}
