using Recipe.Data;
using Recipe.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Tests.Models;

public class TestTimeShiftsTests
{
    /// <summary>The image shifted the plain way, pixel by pixel: out[r, c] = in[clamp(r − down), clamp(c − right)].</summary>
    static float[,] ShiftedByHand(float[,] image, int down, int right)
    {
        int h = image.GetLength(0), w = image.GetLength(1);
        var result = new float[h, w];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                result[r, c] = image[Math.Clamp(r - down, 0, h - 1), Math.Clamp(c - right, 0, w - 1)];
        return result;
    }

    [Fact]
    public void Given_a_model_on_flattened_images_When_asked_over_shifted_copies_Then_it_answers_the_log_mean_probability_of_the_nine_shifted_images()
    {
        torch.manual_seed(3);
        var linear = Linear(25, 4); // an MLP's view of a 1×5×5 image: (B, 25)
        using var shifts = new TestTimeShifts(linear, [1, 5, 5], step: 2, mirror: false, TaskKind.Classification);
        var image = new float[5, 5];
        for (int i = 0; i < 25; i++) image[i / 5, i % 5] = i;

        using var output = shifts.call(tensor(image).reshape(1, 25));

        var offsets = new[] { -2, 0, 2 };
        var views = offsets.SelectMany(d => offsets.Select(r => tensor(ShiftedByHand(image, d, r)).reshape(1, 25))).ToList();
        using var expected = stack(views.Select(v => linear.call(v).softmax(-1)), 0).mean([0]).log();
        Assert.Equal(9, shifts.Views.Count);
        Assert.Equal([1L, 4L], output.shape);
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Given_mirroring_When_asked_Then_each_shifted_copy_is_also_seen_mirrored()
    {
        torch.manual_seed(4);
        var linear = Linear(12, 3);
        using var shifts = new TestTimeShifts(linear, [1, 3, 4], step: 1, mirror: true, TaskKind.Classification);
        using var input = randn(2, 1, 3, 4).reshape(2, 12);

        using var output = shifts.call(input);

        Assert.Equal(18, shifts.Views.Count);
        Assert.Equal(TestTimeShifts.ViewCount(mirror: true), shifts.Views.Count);
        Assert.Equal(9, shifts.Views.Count(v => v.Mirrored));
        var images = input.reshape(2, 1, 3, 4);
        using var expected = stack(shifts.Views.Select(v =>
        {
            var view = v.Mirrored ? images.flip(3) : images;
            var rows = (arange(3L) - v.Down).clamp(0, 2);
            var columns = (arange(4L) - v.Right).clamp(0, 3);
            // mirror first, then shift: the shifted copy of the mirror image
            return linear.call(view.index_select(2, rows).index_select(3, columns).reshape(2, 12)).softmax(-1);
        }), 0).mean([0]).log();
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Given_a_regressor_When_asked_over_shifted_copies_Then_it_answers_the_mean_output_and_the_model_is_its_registered_submodule()
    {
        torch.manual_seed(5);
        var linear = Linear(16, 1);
        using var shifts = new TestTimeShifts(linear, [1, 4, 4], step: 1, mirror: false, TaskKind.Regression);
        using var input = randn(3, 16);

        using var output = shifts.call(input);

        var images = input.reshape(3, 1, 4, 4);
        using var expected = stack(shifts.Views.Select(v => linear.call(Recipe.Training.ImageAugmentations.Translate(images, v.Down, v.Right).reshape(3, 16))), 0).mean([0]);
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(["model.weight", "model.bias"], shifts.state_dict().Keys);
        shifts.eval();
        Assert.False(linear.training);
    }
}
