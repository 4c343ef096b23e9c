using Recipe.Data;
using Recipe.Tests.Support;

namespace Recipe.Tests.Data;

/// <summary>A header row that looks like data is refused; --no-header reads it as data with columns named by position.</summary>
public class HeaderCheckTests
{
    /// <summary>The shape of scikit-learn's raw iris.csv: a first line of counts and class names, then 4 numbers and a class index.</summary>
    static string WriteRawIris(TempFolder temp)
    {
        var rows = Enumerable.Range(0, 30).Select(i => FormattableString.Invariant($"{5 + i % 7 * 0.3:0.0},{3 + i % 5 * 0.2:0.0},{1 + i % 9 * 0.5:0.0},{0.2 + i % 4 * 0.4:0.0},{i % 3}"));
        return TinyData.WriteCsv(temp.Combine("iris.csv"), ["150,4,setosa,versicolor,virginica", .. rows]);
    }

    static string WriteHeaderless(TempFolder temp) =>
        TinyData.WriteCsv(temp.Combine("headerless.csv"), [.. Enumerable.Range(0, 30).Select(i => FormattableString.Invariant($"{i * 0.5},{i % 4},{(i % 2 == 0 ? "yes" : "no")}"))]);

    [Fact]
    public void Given_raw_iris_whose_first_line_is_counts_When_read_Then_the_header_is_refused_suggesting_no_header()
    {
        using var temp = new TempFolder();
        var path = WriteRawIris(temp);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 1 (header)", error.Place);
        Assert.StartsWith("column names, found values like the data below them ('150', '4'):", error.Expected);
        Assert.Contains("--no-header", error.Expected);
    }

    [Fact]
    public void Given_a_file_without_a_header_When_read_Then_the_first_row_is_not_taken_for_names()
    {
        using var temp = new TempFolder();
        var path = WriteHeaderless(temp);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        // '0' and '0' head numeric columns; 'yes' is one of the categories of the last column
        Assert.StartsWith("column names, found values like the data below them ('0', '0', 'yes'):", error.Expected);
    }

    [Fact]
    public void Given_a_file_without_a_header_and_no_header_When_read_Then_every_line_is_a_row_and_columns_are_named_by_position()
    {
        using var temp = new TempFolder();
        var path = WriteHeaderless(temp);

        using var data = CsvDataset.Read(path, new ReadOptions(NoHeader: true));

        Assert.Equal(["col0", "col1"], data.Table!.Features.Select(c => c.Name));
        Assert.Equal("col2", data.Table.Target.Name);
        Assert.Equal(Enumerable.Range(1, 30), data.Table.LineNumbers);
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(["no", "yes"], data.ClassNames);
    }

    [Fact]
    public void Given_no_header_and_a_target_by_position_When_read_Then_that_column_is_the_target()
    {
        using var temp = new TempFolder();
        var path = WriteHeaderless(temp);

        using var data = CsvDataset.Read(path, new ReadOptions(TargetColumn: "col1", NoHeader: true));

        Assert.Equal("col1", data.Table!.Target.Name);
        Assert.Equal(["0", "1", "2", "3"], data.ClassNames);
    }

    [Fact]
    public void Given_no_header_and_a_target_that_is_no_position_When_read_Then_the_option_is_blamed_with_the_names_there_are()
    {
        using var temp = new TempFolder();
        var path = WriteHeaderless(temp);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, new ReadOptions(TargetColumn: "label", NoHeader: true)));

        Assert.Equal("--target", error.Place);
        Assert.Contains("col0 to col2", error.Expected);
    }

    [Fact]
    public void Given_raw_iris_and_no_header_When_read_Then_its_line_of_class_names_is_blamed_as_a_broken_number()
    {
        using var temp = new TempFolder();
        var path = WriteRawIris(temp);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, new ReadOptions(NoHeader: true)));

        Assert.Equal("line 1, column 'col2'", error.Place);
        Assert.EndsWith("found 'setosa'", error.Expected);
    }

    [Fact]
    public void Given_a_header_of_real_names_over_numbers_and_words_When_read_Then_it_names_the_columns()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), ["x1,size,label", .. Enumerable.Range(0, 30).Select(i => $"{i},{(i % 3 == 0 ? "small" : "big")},{i % 2}")]);

        using var data = CsvDataset.Read(path, targetColumn: null);

        Assert.Equal(["x1", "size"], data.Table!.Features.Select(c => c.Name));
    }

    [Fact]
    public void Given_raw_wine_whose_first_line_is_shorter_than_every_row_When_read_Then_line_1_is_blamed_not_line_2()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("wine.csv"),
            ["178,3,class_0,class_1,class_2", .. Enumerable.Range(0, 30).Select(i => FormattableString.Invariant($"{12 + i % 5 * 0.1:0.0},{1 + i % 4 * 0.3:0.0},{2 + i % 3 * 0.2:0.0},{i % 3}"))]);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 1 (header)", error.Place);
        Assert.StartsWith("4 fields like every data row below it, found 5: pass --no-header", error.Expected);
    }

    [Fact]
    public void Given_raw_boston_whose_names_are_on_line_2_When_read_Then_the_line_of_counts_is_blamed_before_the_words_below_it()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("boston.csv"),
            ["506,13,", "CRIM,ZN,MEDV", .. Enumerable.Range(0, 30).Select(i => FormattableString.Invariant($"{i * 0.01:0.00},{i % 4 * 12.5},{20 + i % 9}"))]);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 1 (header)", error.Place);
        Assert.StartsWith("column names, found values like the data below them ('506', '13'):", error.Expected);
    }
}
