using System.Globalization;
using Recipe.Data;
using Recipe.Tests.Support;

namespace Recipe.Tests.Data;

/// <summary>Which columns a table's `input half` hides from the model, scored on the training split alone.</summary>
public class ColumnScreeningTests
{
    [Fact]
    public void Given_two_signal_columns_among_six_noise_columns_When_screened_Then_the_four_dropped_are_noise_and_their_features_are_masked()
    {
        using var data = ScreeningTables.SignalAmongNoise();

        var dropped = ColumnScreening.DroppedColumns(data);
        var mask = ColumnScreening.FeatureMask(data.Table!, dropped.ToHashSet());

        Assert.Equal(4, dropped.Count); // half of eight
        Assert.All(dropped, column => Assert.StartsWith("n", column));
        Assert.Equal(data.Table!.FeatureNames.Select(f => dropped.Contains(f) ? 0f : 1f), mask);
        Assert.Equal(1f, mask[0]);
        Assert.Equal(1f, mask[1]);
    }

    [Fact]
    public void Given_a_regression_target_linear_in_one_column_When_screened_Then_the_column_without_it_is_dropped()
    {
        // Given y = 3·a + noise, b unrelated, c a weaker share of y
        using var temp = new TempFolder();
        var random = new Random(5);
        var lines = new List<string> { "a,b,c,y" };
        for (int i = 0; i < 300; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble(), c = random.NextDouble();
            lines.Add(string.Join(",", new[] { a, b, c, 3 * a + c + 0.1 * random.NextDouble() }.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))));
        }
        using var data = CsvDataset.Read(TinyData.WriteCsv(temp.Combine("linear.csv"), [.. lines]), "y");

        var dropped = ColumnScreening.DroppedColumns(data);

        // Then the half kept (two of three, rounded up) are a and c
        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(["b"], dropped);
    }

    [Fact]
    public void Given_a_categorical_column_with_missing_values_When_features_are_mapped_to_columns_Then_its_categories_and_marker_belong_to_it()
    {
        using var temp = new TempFolder();
        var lines = new List<string> { "size,colour,label" };
        var colours = new[] { "red", "green", "", "blue" };
        for (int i = 0; i < 40; i++)
            lines.Add($"{(i % 7 == 0 ? "NA" : (i * 0.5).ToString(CultureInfo.InvariantCulture))},{colours[i % 4]},{(i % 2 == 0 ? "a" : "b")}");
        using var data = CsvDataset.Read(TinyData.WriteCsv(temp.Combine("mixed.csv"), [.. lines]), "label");
        var table = data.Table!;

        var columnOf = ColumnScreening.ColumnOfFeature(table);

        // size, size (missing), colour=…×3, colour=(missing): every feature named after the column it is mapped to
        Assert.Equal(table.FeatureNames.Count, columnOf.Length);
        for (int f = 0; f < columnOf.Length; f++)
            Assert.StartsWith(table.Features[columnOf[f]].Name, table.FeatureNames[f]);
        Assert.Equal(2, columnOf.Count(c => c == 0));
        Assert.Equal(4, columnOf.Count(c => c == 1));
    }
}
