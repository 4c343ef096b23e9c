using Recipe.Models;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

public class ResNetTests
{
    [Fact]
    public void Given_ResNet18_When_listing_its_state_dict_Then_names_and_shapes_are_torchvisions()
    {
        using var model = ResNet.ResNet18(outputs: 1000);
        var state = model.state_dict();

        // torchvision resnet18: 62 parameters + 60 batch-norm buffers (running_mean, running_var, num_batches_tracked × 20).
        Assert.Equal(122, state.Count);
        Assert.Equal([64L, 3, 7, 7], state["conv1.weight"].shape);
        Assert.Equal([64L], state["bn1.running_mean"].shape);
        Assert.Equal([64L, 64, 3, 3], state["layer1.0.conv1.weight"].shape);
        Assert.Equal([64L], state["layer1.1.bn2.bias"].shape);
        Assert.False(state.ContainsKey("layer1.0.downsample.0.weight")); // same width, same resolution: no projection
        Assert.Equal([128L, 64, 1, 1], state["layer2.0.downsample.0.weight"].shape);
        Assert.Equal([128L], state["layer2.0.downsample.1.running_var"].shape);
        Assert.Equal([512L, 512, 3, 3], state["layer4.1.conv2.weight"].shape);
        Assert.Equal([1000L, 512], state["fc.weight"].shape);
        Assert.True(state.ContainsKey("layer3.0.bn1.num_batches_tracked"));
        Assert.DoesNotContain(state.Keys, name => name.Contains('_') && name.StartsWith('_'));
    }

    [Fact]
    public void Given_ResNet18_When_given_a_224_image_batch_Then_it_returns_one_row_of_logits_per_image()
    {
        using var model = ResNet.ResNet18(outputs: 7);
        model.eval();
        using var x = randn(2, 3, 224, 224);
        using var y = model.call(x);
        Assert.Equal([2L, 7], y.shape);
    }

    [Theory]
    [InlineData(1, 28, 28)]
    [InlineData(3, 32, 32)]
    public void Given_small_images_When_built_for_them_Then_the_small_stem_keeps_the_resolution_and_the_output_is_the_fc_layer(int channels, int height, int width)
    {
        using var model = ResNet.ForImages(channels, height, width, outputs: 10, firstWidth: 4, blocksPerStage: 1);
        Assert.Equal(ResNetStem.Small, model.Stem);
        Assert.Equal([4, 8, 16, 32], model.Widths);
        Assert.Equal([1, 1, 1, 1], model.BlocksPerStage);
        using var x = randn(3, channels, height, width);
        using var y = model.call(x);
        Assert.Equal([3L, 10], y.shape);
        Assert.Same(model.Output, model.named_modules().Single(m => m.name == "fc").module);
        Assert.Equal([4L, channels, 3, 3], model.state_dict()["conv1.weight"].shape);
    }

    [Fact]
    public void Given_a_width_per_stage_that_does_not_match_the_stages_When_building_Then_it_says_so()
    {
        var error = Assert.Throws<ArgumentException>(() => new ResNet(3, 10, [2, 2], [8]));
        Assert.Contains("one width per stage", error.Message);
    }
}
