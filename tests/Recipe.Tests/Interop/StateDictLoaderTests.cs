using Recipe.Data;
using Recipe.Interop;
using Recipe.Models;
using Recipe.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Interop;

public class StateDictLoaderTests
{
    static Tensor[] Snapshot(nn.Module model) => model.parameters().Select(p => p.detach().clone()).ToArray();

    static bool Unchanged(nn.Module model, Tensor[] before) => model.parameters().Zip(before, (p, b) => p.allclose(b, rtol: 0, atol: 0)).All(same => same);

    [Fact]
    public void Given_a_checkpoint_of_another_architecture_When_loaded_Then_nothing_is_copied_and_the_error_names_missing_and_unexpected_tensors()
    {
        using var temp = new TempFolder();
        using var other = new Mlp(64, [8], 3);
        StateDictFile.Write(other, temp.Combine("mlp.pt"));
        using var model = new SmallCnn(1, 8, 8, outputs: 3, filters: 2);
        var before = Snapshot(model);

        var error = Assert.Throws<DataException>(() => Checkpoint.LoadInto(model, temp.Combine("mlp.pt")));

        Assert.Contains("missing from the file (_conv1.weight", error.Message);
        Assert.Contains("unexpected in the file (hidden.linear0.bias", error.Message);
        Assert.True(Unchanged(model, before), "a refused checkpoint must not be half loaded");
    }

    [Fact]
    public void Given_a_tensor_of_another_shape_When_loaded_strictly_Then_the_error_names_it_with_both_shapes()
    {
        using var temp = new TempFolder();
        using var wide = new SmallCnn(1, 8, 8, outputs: 3, filters: 4);
        StateDictFile.Write(wide, temp.Combine("wide.safetensors"));
        using var narrow = new SmallCnn(1, 8, 8, outputs: 3, filters: 2);
        var before = Snapshot(narrow);

        var error = Assert.Throws<DataException>(() => StateDictLoader.Load(narrow, StateDictFile.Read(temp.Combine("wide.safetensors")), "wide.safetensors"));

        Assert.Contains("_conv1.weight (model (2, 1, 3, 3), file (4, 1, 3, 3))", error.Message);
        Assert.True(Unchanged(narrow, before));
    }

    [Fact]
    public void Given_the_same_body_with_another_number_of_classes_When_fine_tuning_from_it_Then_the_body_loads_and_the_new_head_is_reported_fresh()
    {
        using var temp = new TempFolder();
        manual_seed(1);
        using var pretrained = new SmallCnn(1, 8, 8, outputs: 10, filters: 2);
        StateDictFile.Write(pretrained, temp.Combine("pretrained.pt"));
        manual_seed(2);
        using var model = new SmallCnn(1, 8, 8, outputs: 3, filters: 2);
        var freshHead = model.Output.weight!.detach().clone();

        var report = Checkpoint.LoadInto(model, temp.Combine("pretrained.pt"));

        Assert.Equal(["_output.weight", "_output.bias"], report.KeptFresh);
        Assert.Empty(report.Missing);
        Assert.True(model.state_dict()["_conv1.weight"].allclose(pretrained.state_dict()["_conv1.weight"], rtol: 0, atol: 0));
        Assert.True(model.Output.weight!.allclose(freshHead, rtol: 0, atol: 0));
        Assert.Contains("2 kept at their fresh initialization", report.Describe());
    }
}
