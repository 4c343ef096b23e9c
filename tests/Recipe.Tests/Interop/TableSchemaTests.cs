using Recipe.Data;
using Recipe.Interop;
using Recipe.Tests.Support;

namespace Recipe.Tests.Interop;

public class TableSchemaTests
{
    [Fact]
    public void Given_a_table_with_numbers_categories_and_missing_values_When_its_rows_are_featurized_from_the_schema_Then_they_equal_the_training_features()
    {
        using var temp = new TempFolder();
        var random = new Random(4);
        var lines = new List<string> { "size,colour,weight,label" };
        for (int i = 0; i < 80; i++)
            lines.Add($"{(i % 9 == 0 ? "NA" : (random.NextDouble() * 10).ToString("F2", System.Globalization.CultureInfo.InvariantCulture))}," +
                      $"{(i % 11 == 0 ? "" : new[] { "red", "green", "blue" }[i % 3])},{50 + i % 7},{(i % 2 == 0 ? "yes" : "no")}");
        var path = TinyData.WriteCsv(temp.Combine("mixed.csv"), [.. lines]);
        using var data = CsvDataset.Read(path, "label");

        var schema = TableSchema.Of(data, noHeader: false);

        Assert.Equal(data.Table!.FeatureNames, schema.FeatureNames);
        var table = data.Table!;
        var stored = data.Train.Inputs.data<float>().ToArray();
        int width = schema.FeatureNames.Length;
        for (int i = 0; i < data.Train.Count; i++)
        {
            long row = data.Train.SourceIndices[i];
            var values = table.Features.ToDictionary(c => c.Name, c => c.Raw[row]);
            var (features, unseen) = schema.Featurize(values);
            Assert.Empty(unseen);
            for (int f = 0; f < width; f++)
                Assert.Equal(stored[i * width + f], features[f], 5);
        }
    }
}
