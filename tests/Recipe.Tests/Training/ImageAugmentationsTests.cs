using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Tests.Checks;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Training;

/// <summary>
/// The image augmentations behind the `augment` knob: per-example random shifts (and flips), fixed by the seed, shapes
/// kept; and the stage-2 check `augmentation-consistency` lets them through while it refuses one that breaks labels.
/// </summary>
public class ImageAugmentationsTests
{
    /// <summary>32 copies of one 1×20×20 uint8 image: a single bright pixel at (10, 10) on black.</summary>
    static Tensor Dots()
    {
        var images = zeros([32, 1, 20, 20], dtype: ScalarType.Byte);
        images[TensorIndex.Colon, 0, 10, 10] = tensor((byte)200);
        return images;
    }

    static Tensor Labels() => arange(32, dtype: ScalarType.Int64);

    static (Tensor Inputs, Tensor Targets) Run(Augmentation augment, long seed)
    {
        Seeding.Apply(seed);
        return augment(Dots(), Labels());
    }

    /// <summary>Where each example's bright pixel went: (row, column) per example.</summary>
    static (long Row, long Column)[] DotPositions(Tensor images)
    {
        var flat = images.reshape(images.shape[0], -1).argmax(1);
        return [.. Enumerable.Range(0, (int)images.shape[0]).Select(i => (flat[i].item<long>() / 20, flat[i].item<long>() % 20))];
    }

    /// <summary>Same shape and every element equal.</summary>
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Given_a_seed_When_the_shift_runs_twice_Then_the_batches_are_identical_and_another_seed_differs()
    {
        var augment = ImageAugmentations.Shift();

        var (first, targets) = Run(augment, 3);
        var (second, _) = Run(augment, 3);
        var (other, _) = Run(augment, 4);

        Assert.True(Same(first, second));
        Assert.False(Same(first, other));
        Assert.True(Same(targets, Labels()));
    }

    [Fact]
    public void Given_copies_of_one_image_When_shifted_Then_each_example_gets_its_own_offset_within_a_tenth_of_the_side()
    {
        var (shifted, _) = Run(ImageAugmentations.Shift(), 7);
        var positions = DotPositions(shifted);

        Assert.Equal([32, 1, 20, 20], shifted.shape);
        Assert.Equal(ScalarType.Byte, shifted.dtype);
        Assert.All(positions, p => Assert.InRange(p.Row, 8, 12));    // 10 % of 20 = 2 pixels either way
        Assert.All(positions, p => Assert.InRange(p.Column, 8, 12));
        Assert.True(positions.Distinct().Count() >= 10, $"only {positions.Distinct().Count()} distinct offsets in 32 examples: one coin per batch?");
        Assert.Equal(32 * 200L, shifted.to_type(ScalarType.Int64).sum().item<long>()); // the dot is moved, never lost or doubled
    }

    [Fact]
    public void Given_shift_and_flip_When_applied_Then_some_examples_are_mirrored_and_others_not()
    {
        // a dot off the centre column: mirroring takes column 3 to column 16, far beyond any shift
        var images = zeros([64, 1, 20, 20], dtype: ScalarType.Byte);
        images[TensorIndex.Colon, 0, 10, 3] = tensor((byte)200);
        Seeding.Apply(9);
        var (augmented, _) = ImageAugmentations.Shift(flip: true)(images, arange(64, dtype: ScalarType.Int64));
        var columns = DotPositions(augmented).Select(p => p.Column).ToArray();

        int mirrored = columns.Count(c => c >= 14);
        Assert.All(columns, c => Assert.True(c <= 5 || c >= 14, $"column {c}: neither shifted nor mirrored-and-shifted"));
        Assert.InRange(mirrored, 16, 48); // a fair coin per example: about half of 64
    }

    [Fact]
    public void Given_a_shift_When_applied_Then_the_edge_pixels_fill_the_gap_rather_than_black()
    {
        // a uniformly bright image stays uniformly bright under any shift only if the gap repeats the edge (zero padding would show black)
        var images = full([16, 1, 10, 10], 255, dtype: ScalarType.Byte);
        Seeding.Apply(2);
        var (shifted, _) = ImageAugmentations.Shift()(images, arange(16, dtype: ScalarType.Int64));

        Assert.True(shifted.eq(255).all().item<bool>());
    }

    // --- the stage-2 check as stage 4's gate ---

    static Pipeline FourSides(string augment) =>
        ShapeTestData.ImagePipeline(ShapeTestData.FourSides()).WithKnobs(new Dictionary<string, string> { [DefaultKnobs.Augment] = augment });

    [Fact]
    public void Given_the_shift_knob_on_clothes_When_the_augmentation_is_checked_Then_it_passes()
    {
        var pipeline = CheckTestData.FashionPipeline() with { Augment = ImageAugmentations.Shift() };

        CheckAssert.Verdict(Verdict.Pass, new AugmentationConsistency(), pipeline);
    }

    [Fact]
    public void Given_the_shift_and_flip_knob_on_clothes_When_checked_Then_there_is_no_alarm()
    {
        var pipeline = CheckTestData.FashionPipeline() with { Augment = ImageAugmentations.Shift(flip: true) };

        CheckAssert.NoAlarm(new AugmentationConsistency(), pipeline);
    }

    [Fact]
    public void Given_the_shift_knob_on_images_of_bars_When_checked_Then_no_label_is_swapped()
    {
        // four sides: a one-pixel shift keeps every bar on its side. The MLP judge is not shift-invariant, so its agreement
        // drops (a warning, a hint only), but no class moves to another beyond the controls.
        var result = CheckAssert.NoAlarm(new AugmentationConsistency(), FourSides("shift"));

        Assert.True(result.Evidence["largest_swap_beyond_controls"] <= AugmentationConsistency.NoSystematicSwap.Threshold);
    }

    [Fact]
    public void Given_a_label_breaking_vertical_flip_When_checked_Then_it_fails()
    {
        // fault injection on the same data: flipping half the images upside down moves top bars to the bottom and back while
        // their labels stay, which the gate must refuse before stage 4 tries it
        Augmentation flipVertically = (inputs, targets) =>
        {
            var flip = rand(inputs.shape[0]).lt(0.5); // a coin per example, from the seeded generator
            return (where(flip.reshape(-1, 1, 1, 1), inputs.flip(2), inputs), targets);
        };
        var pipeline = ShapeTestData.ImagePipeline(ShapeTestData.FourSides()) with { Augment = flipVertically };

        var result = CheckAssert.Verdict(Verdict.Fail, new AugmentationConsistency(), pipeline);
        Assert.True(result.Evidence["largest_swap_beyond_controls"] > AugmentationConsistency.NoSystematicSwap.Threshold);
    }

    [Fact]
    public void Given_a_dot_When_translated_by_a_chosen_offset_Then_it_moves_by_that_offset_and_the_edges_repeat()
    {
        using var dots = Dots();
        using var edge = zeros([1, 1, 4, 4]);
        edge[TensorIndex.Colon, 0, TensorIndex.Colon, 0] = tensor(1f); // a bright left column

        using var moved = ImageAugmentations.Translate(dots, down: 2, right: -3);
        using var padded = ImageAugmentations.Translate(edge, down: 0, right: 2);

        Assert.Equal(dots.shape, moved.shape);
        Assert.Equal((byte)200, moved[0, 0, 12, 7].item<byte>());
        Assert.Equal(200L * 32, moved.sum().item<long>()); // moved, not copied or lost
        // shifted right by 2, the left edge repeats into columns 0–2: the background is not made black
        Assert.Equal(new float[] { 1, 1, 1, 0 }, padded[0, 0, 1].data<float>().ToArray());
    }
}
