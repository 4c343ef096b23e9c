using Recipe.Data;
using Recipe.Interop;
using Recipe.Models;
using Recipe.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Interop;

public class StateDictFileTests
{
    [Theory]
    [InlineData("weights.pt")]
    [InlineData("weights.safetensors")]
    public void Given_a_model_saved_in_a_PyTorch_format_When_read_back_into_a_fresh_model_Then_outputs_are_identical(string file)
    {
        using var temp = new TempFolder();
        manual_seed(1);
        using var saved = new SmallCnn(1, 8, 8, outputs: 3, filters: 2);
        manual_seed(2);
        using var loaded = new SmallCnn(1, 8, 8, outputs: 3, filters: 2);
        using var x = randn(5, 1, 8, 8);

        StateDictFile.Write(saved, temp.Combine(file));
        var state = StateDictFile.Read(temp.Combine(file));
        var report = StateDictLoader.Load(loaded, state, file);

        Assert.True(report.Complete, report.Describe());
        // PyTorch's names: no field underscores ("output.weight", not "_output.weight")
        Assert.Contains("output.weight", state.Keys);
        Assert.DoesNotContain(state.Keys, name => name.Split('.').Any(part => part.StartsWith('_')));
        Assert.True(saved.call(x).allclose(loaded.call(x), rtol: 0, atol: 0));
        Assert.False(File.Exists(temp.Combine(file + ".partial")));
    }

    [Fact]
    public void Given_a_truncated_checkpoint_When_read_Then_one_DataException_names_the_file_and_the_damage()
    {
        using var temp = new TempFolder();
        using var model = new Mlp(4, [8], 3);
        StateDictFile.Write(model, temp.Combine("whole.pt"));
        var bytes = File.ReadAllBytes(temp.Combine("whole.pt"));
        File.WriteAllBytes(temp.Combine("cut.pt"), bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<DataException>(() => StateDictFile.Read(temp.Combine("cut.pt")));

        Assert.Equal(temp.Combine("cut.pt"), error.File);
        Assert.Contains("damaged or truncated", error.Message);
    }

    [Fact]
    public void Given_a_file_that_is_no_checkpoint_When_read_Then_the_error_says_what_a_checkpoint_starts_with()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteText(temp.Combine("notes.pt"), "these are not weights\n");

        var error = Assert.Throws<DataException>(() => StateDictFile.Read(path));

        Assert.Equal("byte 0", error.Place);
        Assert.Contains("safetensors", error.Message);
    }
}

public class InputNormalizationTests
{
    [Fact]
    public void Given_a_checkpoint_with_a_normalization_sidecar_When_its_normalization_is_asked_Then_the_sidecar_is_read_back()
    {
        using var temp = new TempFolder();
        var checkpoint = TinyData.WriteText(temp.Combine("w.pt"), "weights");
        InputNormalization.TorchvisionImageNet.SaveSidecar(checkpoint);

        var read = Checkpoint.NormalizationOf(checkpoint)!;

        Assert.Equal(InputNormalization.TorchvisionImageNet.Mean, read.Mean);
        Assert.Equal(InputNormalization.TorchvisionImageNet.Std, read.Std);
        Assert.Equal(1, read.Scale);
    }

    [Fact]
    public void Given_a_sidecar_with_a_std_missing_for_a_channel_When_read_Then_it_is_refused_as_bad_input()
    {
        using var temp = new TempFolder();
        var checkpoint = TinyData.WriteText(temp.Combine("w.pt"), "weights");
        TinyData.WriteText(InputNormalization.SidecarOf(checkpoint), """{"mean": [0.5, 0.5, 0.5], "std": [0.2], "scale": 1, "source": "x"}""");

        var error = Assert.Throws<DataException>(() => Checkpoint.NormalizationOf(checkpoint));

        Assert.Contains("one value per channel", error.Message);
    }
}
