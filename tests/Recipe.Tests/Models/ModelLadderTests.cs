using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Checks;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

public class ModelLadderTests
{
    [Fact]
    public void Given_each_kind_of_data_When_every_rung_of_its_ladder_is_built_Then_it_maps_a_batch_to_the_outputs()
    {
        foreach (var data in new[] { CheckTestData.FashionMnist, CheckTestData.Words })
        {
            var ladder = ModelLadder.For(data);
            Assert.Equal(ladder.Count, ladder.Distinct().Count());
            foreach (var rung in ladder)
            {
                using var model = ModelFactory.Create(rung, data);
                using var noGrad = no_grad();
                using var inputs = data.Train.Inputs[..2].to_type(data.Task == TaskKind.Sequence ? int64 : float32);
                using var output = model.call(inputs);
                Assert.Equal(ModelFactory.OutputsFor(data), output.shape[^1]);
                Assert.IsAssignableFrom<IHasOutputLayer>(model);
            }
        }
    }

    [Fact]
    public void Given_a_ladder_When_its_rungs_of_one_architecture_are_compared_Then_each_has_more_parameters_than_the_last()
    {
        // Small to large within an architecture: a wider or deeper rung never has fewer weights than the one before it.
        foreach (var data in new[] { CheckTestData.FashionMnist, CheckTestData.Words })
            foreach (var architecture in ModelLadder.For(data).GroupBy(r => r.Name))
            {
                var counts = architecture.Select(rung =>
                {
                    using var model = ModelFactory.Create(rung, data);
                    return model.parameters().Sum(p => p.numel());
                }).ToArray();
                for (int i = 1; i < counts.Length; i++)
                    Assert.True(counts[i] > counts[i - 1], $"{architecture.Key}: rung {i} has {counts[i]} parameters, rung {i - 1} {counts[i - 1]}");
            }
    }

    [Fact]
    public void Given_the_ladders_When_rungs_are_grouped_by_architecture_Then_a_deeper_mlp_is_the_next_architecture_and_a_deeper_resnet_is_not()
    {
        Assert.Equal("mlp", ModelLadder.Architecture(new ModelChoice("mlp", 256)));
        Assert.Equal("mlp depth 2", ModelLadder.Architecture(new ModelChoice("mlp", 256, 2)));
        Assert.Equal("resnet", ModelLadder.Architecture(new ModelChoice("resnet", 16, 2)));
        Assert.Equal("transformer", ModelLadder.Architecture(new ModelChoice("transformer", 128, 4)));
        // the capacity rungs stage 3 climbs carry their architecture
        var rung = Recipe.Experiments.CapacityRung.Of(new ModelChoice("vgg", 32, 3));
        Assert.Equal("vgg", rung.Family);
        Assert.Equal("width 64", new Recipe.Experiments.CapacityRung("width 64", new Dictionary<string, string> { ["width"] = "64" }).Family);
    }
}
