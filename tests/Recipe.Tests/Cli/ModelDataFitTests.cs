using Recipe.Cli.Commands;
using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Support;
using SkiaSharp;

namespace Recipe.Tests.Cli;

/// <summary>The CLI tells a misfit model from the data's format before reading it; it must agree with ModelFactory on the loaded data.</summary>
public class ModelDataFitTests
{
    [Theory]
    [InlineData("idx")]
    [InlineData("csv")]
    [InlineData("images")]
    [InlineData("text")]
    public void Given_each_format_When_every_model_is_built_on_its_data_Then_exactly_the_models_the_cli_allows_build(string kind)
    {
        using var temp = new TempFolder();
        var spec = kind switch
        {
            "idx" => TinyData.WriteIdxFolder(temp.Combine("idx"), trainCount: 40, testCount: 10, rows: 8, columns: 8),
            "csv" => TinyData.WriteCsv(temp.Combine("t.csv"), ["x,y,label", .. Enumerable.Range(0, 40).Select(i => $"{i},{i % 3},{i % 2}")]),
            "images" => TinyData.WriteImageClasses(temp.Combine("images"), ["a", "b"], [SKColors.Red, SKColors.Blue], perClass: 10),
            _ => TinyData.WriteText(temp.Combine("names.txt"), string.Join("\n", Enumerable.Range(0, 60).Select(i => $"name{i}"))),
        };
        using var data = DataSpec.Load(spec);

        var builds = ModelFactory.Names.Where(name => Builds(name, data)).ToArray();

        Assert.Equal(builds, ModelDataFit.ModelsFor(ModelDataFit.FormatOf(spec)!.Value));
        Assert.All(ModelFactory.Names, name => Assert.Equal(builds.Contains(name), ModelDataFit.Problem(name, spec) is null));
    }

    static bool Builds(string name, Dataset data)
    {
        try
        {
            using var model = ModelFactory.Create(name, data);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
