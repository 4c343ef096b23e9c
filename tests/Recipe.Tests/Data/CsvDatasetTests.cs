using System.Globalization;
using Recipe.Data;
using Recipe.Tests.Support;
using static TorchSharp.torch;

namespace Recipe.Tests.Data;

public class CsvDatasetTests
{
    static readonly string[] Cities = ["Paris", "Lyon", "Nice"];

    /// <summary>20 people: age (missing on rows 3 and 7), city (missing on row 5), income, and a yes/no label.</summary>
    static string WritePeople(TempFolder temp)
    {
        var lines = new List<string> { "age,city,income,label" };
        for (int i = 0; i < 20; i++)
        {
            string age = i switch { 3 => "NA", 7 => "", _ => (20 + i).ToString(CultureInfo.InvariantCulture) };
            string city = i == 5 ? "?" : Cities[i % 3];
            lines.Add($"{age},{city},{(i * 10.5).ToString(CultureInfo.InvariantCulture)},{(i % 2 == 0 ? "yes" : "no")}");
        }
        return TinyData.WriteCsv(temp.Combine("people.csv"), [.. lines]);
    }

    static IEnumerable<(DataSplit Split, int Row)> AllRows(Dataset data) =>
        data.Splits.SelectMany(s => Enumerable.Range(0, s.Count).Select(i => (s, i)));

    [Fact]
    public void Given_numeric_and_categorical_columns_with_gaps_When_read_Then_missing_values_stay_visible_in_the_table()
    {
        using var temp = new TempFolder();
        using var data = CsvDataset.Read(WritePeople(temp), targetColumn: null);

        var table = data.Table!;
        Assert.Equal(20, table.RowCount);
        Assert.Equal(["age", "city", "income"], table.Features.Select(c => c.Name));
        Assert.Equal([ColumnKind.Numeric, ColumnKind.Categorical, ColumnKind.Numeric], table.Features.Select(c => c.Kind));
        Assert.Equal([2, 1, 0], table.Features.Select(c => c.MissingCount));
        Assert.Null(table.Features[0].Raw[3]);
        Assert.True(double.IsNaN(table.Features[0].Numbers[7]));
        Assert.Equal(["Lyon", "Nice", "Paris"], table.Features[1].Categories);
        Assert.Equal("label", table.Target.Name);
        Assert.Equal(Enumerable.Range(2, 20), table.LineNumbers);
    }

    [Fact]
    public void Given_missing_values_When_featurized_Then_an_indicator_feature_marks_them_and_categories_are_one_hot()
    {
        using var temp = new TempFolder();
        using var data = CsvDataset.Read(WritePeople(temp), targetColumn: null);

        Assert.Equal(["age", "age (missing)", "city=Lyon", "city=Nice", "city=Paris", "city=(missing)", "income"], data.Table!.FeatureNames);
        Assert.Equal([7L], data.ExampleShape);
        foreach (var (split, i) in AllRows(data))
        {
            int row = (int)split.SourceIndices[i];
            var x = split.Inputs[i].data<float>().ToArray();
            Assert.Equal(row is 3 or 7 ? 1f : 0f, x[1]);
            if (row is 3 or 7) Assert.Equal(0f, x[0]);
            Assert.Equal(row == 5 ? 1f : 0f, x[5]);
            Assert.Equal(1f, x[2] + x[3] + x[4] + x[5]);
            if (row != 5) Assert.Equal(1f, x[2 + Array.IndexOf(["Lyon", "Nice", "Paris"], Cities[row % 3])]);
            Assert.Equal($"line {row + 2}", split.OriginOf(i));
        }
    }

    [Fact]
    public void Given_a_table_with_gaps_When_its_columns_are_counted_Then_the_layout_matches_the_featurizer_and_the_model_schema()
    {
        using var temp = new TempFolder();
        using var data = CsvDataset.Read(WritePeople(temp), targetColumn: null);

        var schema = Recipe.Interop.TableSchema.Of(data, noHeader: false);

        Assert.Equal([2, 4, 1], data.Table!.Features.Select(FeatureLayout.Count)); // age + its marker, 3 cities + marker, income
        Assert.Equal([2, 4, 1], schema.Columns.Select(c => c.FeatureCount));
        Assert.Equal(data.Table.FeatureNames.Count, schema.Columns.Sum(c => c.FeatureCount));
        Assert.DoesNotContain("FeatureCount", System.Text.Json.JsonSerializer.Serialize(schema)); // derived, not stored in model.json
    }

    [Fact]
    public void Given_numeric_features_When_featurized_Then_they_are_standardized_with_training_rows_only()
    {
        using var temp = new TempFolder();
        using var data = CsvDataset.Read(WritePeople(temp), targetColumn: null);

        var income = data.Train.Inputs.select(1, 6).data<float>().ToArray();
        Assert.Equal(0, income.Average(), precision: 4);
        var std = Math.Sqrt(income.Sum(v => v * v) / (income.Length - 1.0));
        Assert.Equal(1, std, precision: 4);
    }

    [Fact]
    public void Given_a_word_target_When_read_Then_it_is_classification_with_sorted_class_names_and_labels_kept()
    {
        using var temp = new TempFolder();
        using var data = CsvDataset.Read(WritePeople(temp), targetColumn: null);

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(["no", "yes"], data.ClassNames);
        Assert.Equal(20, data.Splits.Sum(s => s.Count));
        foreach (var (split, i) in AllRows(data))
            Assert.Equal(split.SourceIndices[i] % 2 == 0 ? 1L : 0L, split.Targets[i].item<long>());
    }

    [Fact]
    public void Given_a_few_integer_values_as_target_When_read_Then_it_is_classification()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,grade", .. Enumerable.Range(0, 24).Select(i => $"{i},{i % 3 + 1}")]);

        using var data = CsvDataset.Read(path, "grade");

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(["1", "2", "3"], data.ClassNames);
        Assert.Equal(ScalarType.Int64, data.Train.Targets.dtype);
    }

    [Fact]
    public void Given_a_real_valued_target_When_read_Then_it_is_regression_with_the_values_kept()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), ["price,x", .. Enumerable.Range(0, 12).Select(i => $"{i * 1.5 + 0.25},{i}")]);

        using var data = CsvDataset.Read(path, "price");

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Empty(data.ClassNames);
        Assert.Equal(ScalarType.Float32, data.Train.Targets.dtype);
        Assert.Equal(["x"], data.Table!.FeatureNames);
        foreach (var (split, i) in AllRows(data))
            Assert.Equal(split.SourceIndices[i] * 1.5f + 0.25f, split.Targets[i].item<float>());
    }

    [Fact]
    public void Given_many_distinct_integers_as_target_When_read_Then_it_is_regression()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,count", .. Enumerable.Range(0, 30).Select(i => $"{i % 4},{i * 3}")]);

        using var data = CsvDataset.Read(path, targetColumn: null);

        Assert.Equal(TaskKind.Regression, data.Task);
    }

    [Fact]
    public void Given_an_unknown_target_column_When_read_Then_the_header_is_blamed_and_the_columns_listed()
    {
        using var temp = new TempFolder();
        var path = WritePeople(temp);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, "salary"));

        Assert.Equal(path, error.File);
        Assert.Equal("line 1 (header)", error.Place);
        Assert.Contains("'salary'", error.Expected);
        Assert.Contains("age, city, income, label", error.Expected);
    }

    [Fact]
    public void Given_a_ragged_row_When_read_Then_its_line_and_both_field_counts_are_named()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "a,b,c", "1,2,3", "4,5,6", "7,8", "9,10,11");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 4", error.Place);
        Assert.Equal("3 fields as in the header, found 2", error.Expected);
    }

    [Fact]
    public void Given_a_stray_word_in_a_numeric_column_When_read_Then_its_line_and_column_are_blamed()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "age,label", "31,a", "45,b", "abc,a", "22,b");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, "label"));

        Assert.Equal("line 4, column 'age'", error.Place);
        Assert.StartsWith("a number", error.Expected);
        Assert.EndsWith("found 'abc'", error.Expected);
        Assert.StartsWith($"{path}: line 4, column 'age': expected a number", error.Message);
    }

    [Fact]
    public void Given_an_infinite_value_in_a_numeric_column_When_read_Then_it_is_rejected_like_a_word()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "x,label", "1,a", "Infinity,b", "3,a", "4,b");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, "label"));

        Assert.Equal("line 3, column 'x'", error.Place);
        Assert.Contains("found 'Infinity'", error.Expected);
    }

    [Fact]
    public void Given_a_missing_target_value_When_read_Then_its_line_is_blamed()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "x,label", "1,a", "2,", "3,b");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 3, column 'label'", error.Place);
    }

    [Fact]
    public void Given_two_columns_with_one_name_When_read_Then_the_header_is_blamed()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "x,x,label", "1,2,a", "3,4,b");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 1 (header)", error.Place);
        Assert.Contains("'x'", error.Expected);
    }

    [Fact]
    public void Given_only_a_target_column_When_read_Then_it_asks_for_a_feature_column()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "label", "a", "b");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 1 (header)", error.Place);
        Assert.Contains("feature", error.Expected);
    }

    [Fact]
    public void Given_a_header_and_no_rows_When_read_Then_line_2_is_blamed()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "x,label");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 2", error.Place);
    }

    [Fact]
    public void Given_too_few_rows_for_every_split_When_read_Then_the_row_count_and_split_sizes_are_named()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "x,y", "1,2.5", "2,3.5", "3,1.5");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("3 data rows", error.Place);
        Assert.Contains("0 validation", error.Expected);
    }

    [Fact]
    public void Given_a_semicolon_separated_file_When_read_Then_the_error_points_at_the_separator()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), "x;label", "1;a", "2;b");

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, targetColumn: null));

        Assert.Equal("line 1 (header)", error.Place);
        Assert.Contains("comma-separated", error.Expected);
    }
}
