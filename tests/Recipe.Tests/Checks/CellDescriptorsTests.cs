using Recipe.Checks.Splits;
using Recipe.Inspect;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// The two ways of computing cell descriptors give the same numbers: an index's own descriptors (one shift, each shifted
/// window pooled with a stride of one cell) and a query's (every shift, read off one pooling at every position).
/// </summary>
public class CellDescriptorsTests
{
    [Theory]
    [InlineData(28)]
    [InlineData(21)]
    public void Given_images_When_each_shift_is_computed_alone_Then_it_equals_that_shift_among_all_shifts(int size)
    {
        var options = new NearDuplicateOptions();
        var images = randn([6, size, size], generator: new Generator(3));
        var shifts = CellDescriptors.AllShifts(options.MaxShift);

        using var all = CellDescriptors.Of(images, shifts, options);

        for (int s = 0; s < shifts.Length; s++)
        {
            using var alone = CellDescriptors.Of(images, [shifts[s]], options);
            Assert.True(alone.select(1, 0).equal(all.select(1, s)).all().item<bool>(), $"shift {shifts[s]} differs");
        }
    }

    [Fact]
    public void Given_an_image_with_one_bright_cell_When_its_unshifted_descriptor_is_computed_Then_that_cell_stands_out()
    {
        // Cells start at the margin (MaxShift): the bright 4×4 block at pixels 2..5 is the first cell, alone.
        var options = new NearDuplicateOptions();
        var image = zeros(1, 28, 28);
        image[0, TensorIndex.Slice(2, 6), TensorIndex.Slice(2, 6)] = tensor(1f);

        using var descriptor = CellDescriptors.Of(image, [(0, 0)], options);

        var values = descriptor.view(-1).data<float>().ToArray();
        Assert.Equal(values.Max(), values[0]);
        Assert.All(values.Skip(1), v => Assert.Equal(values[1], v));
    }
}
