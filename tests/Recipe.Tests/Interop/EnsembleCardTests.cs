using Recipe.Data;
using Recipe.Interop;
using Recipe.Models;
using Recipe.Stages;
using Recipe.Tests.Support;
using static TorchSharp.torch;

namespace Recipe.Tests.Interop;

public class EnsembleCardTests
{
    [Fact]
    public void Given_a_kept_ensemble_saved_with_its_card_When_loaded_Then_it_predicts_exactly_as_in_memory_and_model_safetensors_holds_the_first_member()
    {
        using var temp = new TempFolder();
        using var data = TinyTables.NoisyTwoClass(train: 16, validation: 32, noise: 0.5);
        using var normalizer = InputNormalizer.Identity();
        var card = ModelCard.For(data, normalizer, "mlp", null, new RunOptions(), width: 16, depth: 1);
        var members = Enumerable.Range(0, 3).Select(seed =>
        {
            manual_seed(seed);
            return ModelFactory.Create("mlp", data, width: 16, depth: 1);
        }).ToList();
        using var ensemble = new Ensemble(members, data.Task);
        ensemble.eval();

        card.Save(temp.Path, ensemble);
        var loadedCard = ModelCard.Load(temp.Path);
        using var loaded = loadedCard.LoadModel(temp.Path);

        Assert.Equal(3, loadedCard.EnsembleMembers);
        Assert.IsType<Ensemble>(loaded);
        using var x = data.Validation.Inputs;
        using var expected = ensemble.call(x);
        using var actual = loaded.call(x);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0));
        // model.safetensors keeps the first model under the architecture's own names (what PyTorch and --init-from read)
        var single = StateDictFile.Read(temp.Combine(ModelCard.SafetensorsWeights));
        Assert.DoesNotContain(single.Keys, name => name.StartsWith("members.", StringComparison.Ordinal));
        using var first = (loadedCard with { EnsembleMembers = null }).LoadModel(temp.Path);
        using var firstExpected = members[0].call(x);
        using var firstActual = first.call(x);
        Assert.True(firstExpected.allclose(firstActual, rtol: 0, atol: 0));
        foreach (var t in single.Values) t.Dispose();
    }

    [Fact]
    public void Given_a_single_model_When_saved_Then_the_card_names_no_ensemble_and_no_ensemble_weights_are_written()
    {
        using var temp = new TempFolder();
        using var data = TinyTables.NoisyTwoClass(train: 16, validation: 32, noise: 0.5);
        using var normalizer = InputNormalizer.Identity();
        var card = ModelCard.For(data, normalizer, "mlp", null, new RunOptions(), width: 16, depth: 1);
        using var model = ModelFactory.Create("mlp", data, width: 16, depth: 1);

        card.Save(temp.Path, model);

        Assert.Null(ModelCard.Load(temp.Path).EnsembleMembers);
        Assert.False(File.Exists(temp.Combine(ModelCard.EnsembleWeights)));
        Assert.DoesNotContain("ensemble_members", File.ReadAllText(temp.Combine(ModelCard.FileName)));
    }
}
