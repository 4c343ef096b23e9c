using Recipe.Data;
using Recipe.Interop;
using Recipe.Models;
using Recipe.Stages;
using Recipe.Tests.Support;
using static TorchSharp.torch;

namespace Recipe.Tests.Interop;

public class TestTimeShiftCardTests
{
    [Fact]
    public void Given_an_ensemble_answering_over_shifted_copies_When_saved_and_loaded_Then_it_predicts_exactly_as_in_memory_and_the_weights_keep_their_own_names()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), trainCount: 20, testCount: 6, rows: 6, columns: 6, classes: 3);
        using var data = DataSpec.Load(idx);
        using var normalizer = InputNormalizer.Identity();
        var card = ModelCard.For(data, normalizer, "cnn", null, new RunOptions(), width: 4, depth: 1);
        var members = Enumerable.Range(0, 2).Select(seed =>
        {
            manual_seed(seed);
            return ModelFactory.Create("cnn", data, width: 4, depth: 1);
        }).ToList();
        using var shifted = new TestTimeShifts(new Ensemble(members, data.Task), data.ExampleShape, step: 1, mirror: true, data.Task);
        shifted.eval();

        card.Save(temp.Path, shifted);
        var loadedCard = ModelCard.Load(temp.Path);
        using var loaded = loadedCard.LoadModel(temp.Path);

        Assert.Equal(new TestTimeShiftCard(1, true, 18), loadedCard.TestTimeShifts);
        Assert.Equal(2, loadedCard.EnsembleMembers);
        var wrapper = Assert.IsType<TestTimeShifts>(loaded);
        Assert.IsType<Ensemble>(wrapper.Inner);
        using var x = data.Validation.Inputs.to(float32);
        using var expected = shifted.call(x);
        using var actual = loaded.call(x);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0));
        // model.safetensors is the first member under the architecture's own names, as PyTorch and --init-from read it
        var single = StateDictFile.Read(temp.Combine(ModelCard.SafetensorsWeights));
        Assert.DoesNotContain(single.Keys, name => name.StartsWith("model.", StringComparison.Ordinal) || name.StartsWith("members.", StringComparison.Ordinal));
        foreach (var t in single.Values) t.Dispose();
    }

    [Fact]
    public void Given_a_half_size_input_model_answering_over_shifted_copies_When_saved_and_loaded_Then_the_copies_are_made_of_the_half_size_image()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), trainCount: 20, testCount: 6, rows: 8, columns: 8, classes: 3);
        using var data = DataSpec.Load(idx);
        using var normalizer = InputNormalizer.FitTo(data); // images: the card's input section carries the factor
        var card = ModelCard.For(data, normalizer, "cnn", null, new RunOptions(), width: 4, depth: 1, downsample: 2);
        manual_seed(1);
        using var shifted = new TestTimeShifts(ModelFactory.Create("cnn", data, width: 4, depth: 1, downsample: 2), [1, 4, 4], step: 1, mirror: false, data.Task);
        shifted.eval();

        card.Save(temp.Path, shifted);
        using var loaded = ModelCard.Load(temp.Path).LoadModel(temp.Path);

        var wrapper = Assert.IsType<TestTimeShifts>(loaded);
        Assert.Equal([1L, 4, 4], wrapper.ExampleShape);
        using var x = randn(5, 1, 4, 4); // what the card's input transform hands the model: the 8×8 image pooled to 4×4
        using var expected = shifted.call(x);
        using var actual = loaded.call(x);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0));
    }

    [Fact]
    public void Given_a_card_written_before_test_time_shifts_existed_When_loaded_Then_the_model_answers_alone()
    {
        using var temp = new TempFolder();
        using var data = TinyTables.NoisyTwoClass(train: 16, validation: 8, noise: 0.5);
        using var normalizer = InputNormalizer.Identity();
        using var model = ModelFactory.Create("mlp", data, width: 8, depth: 1);
        ModelCard.For(data, normalizer, "mlp", null, new RunOptions(), width: 8, depth: 1).Save(temp.Path, model);

        Assert.DoesNotContain("test_time_shifts", File.ReadAllText(temp.Combine(ModelCard.FileName)));
        using var loaded = ModelCard.Load(temp.Path).LoadModel(temp.Path);
        Assert.IsNotType<TestTimeShifts>(loaded);
    }
}
