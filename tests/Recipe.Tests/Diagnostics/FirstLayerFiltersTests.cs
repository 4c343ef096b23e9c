using Recipe.Diagnostics;
using Recipe.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Diagnostics;

public class FirstLayerFiltersTests
{
    [Fact]
    public void Given_a_cnn_When_its_filters_are_drawn_Then_there_is_one_image_per_filter_in_0_to_1_with_zero_at_mid_grey()
    {
        torch.manual_seed(0);
        using var model = new SmallCnn(1, 8, 8, 2, filters: 6);

        using var images = FirstLayerFilters.Images(model)!;

        Assert.Equal([6L, 1, 3, 3], images.shape);
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
        // each filter stretched on its own: its largest |weight| reaches 0 or 1, and 0.5 stands for a weight of 0
        using var reach = images.sub(0.5).abs().amax([1, 2, 3]);
        Assert.All(reach.data<float>().ToArray(), r => Assert.Equal(0.5, r, 5));
    }

    [Fact]
    public void Given_smooth_gradient_filters_When_measured_Then_neighbour_correlation_is_high_and_random_init_is_near_zero()
    {
        torch.manual_seed(0);
        using var random = new SmallCnn(1, 8, 8, 2, filters: 16);
        using var smooth = new SmallCnn(1, 8, 8, 2, filters: 16);
        var conv = smooth.modules().OfType<TorchSharp.Modules.Conv2d>().First();
        using (no_grad())
        {
            using var ramp = arange(3, dtype: float32).reshape(1, 1, 1, 3);           // left-to-right edges
            using var sign = randn(16, 1, 1, 1).sign();
            conv.weight!.copy_(ramp.mul(sign).expand(16, 1, 3, 3));
        }

        Assert.InRange(FirstLayerFilters.Smoothness(random)!.Value, -0.35, 0.35);
        Assert.True(FirstLayerFilters.Smoothness(smooth) > 0.4);
    }

    [Fact]
    public void Given_a_model_without_convolutions_When_asked_Then_there_are_no_filters()
    {
        using var model = new Mlp(8, [4], 2);
        Assert.Null(FirstLayerFilters.Images(model));
        Assert.Null(FirstLayerFilters.Smoothness(model));
    }
}
