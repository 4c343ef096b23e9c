using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>
/// Label-preserving augmentations of stored image batches (N, C, H, W), any dtype: every example gets its own random
/// shift (and coin for a flip), drawn from torch's generator, which the training seed sets (<see cref="Seeding.Apply"/>),
/// so a seed fixes every augmented batch. Shapes and dtype are kept; targets pass through untouched.
/// </summary>
public static class ImageAugmentations
{
    /// <summary>The largest shift as a share of the side: small enough that the object stays in view.</summary>
    public const double DefaultShiftFraction = 0.1;

    /// <summary>
    /// Translates each image by its own random offset of up to <paramref name="fraction"/> of the side (at least one
    /// pixel) in each direction: a random crop of the image padded by that much, where the padding repeats the edge
    /// pixels (a background that is not black stays itself). With <paramref name="flip"/>, each image is also mirrored
    /// left-right on its own fair coin.
    /// </summary>
    public static Augmentation Shift(double fraction = DefaultShiftFraction, bool flip = false)
    {
        if (!(fraction >= 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the shift is a share of the side in [0, 1)");
        return (inputs, targets) =>
        {
            if (inputs.dim() != 4) throw new ArgumentException($"image augmentation expects (N, C, H, W) batches, found shape ({string.Join(", ", inputs.shape)})");
            using var scope = NewDisposeScope();
            long n = inputs.shape[0], height = inputs.shape[2], width = inputs.shape[3];
            var rows = SourceIndices(n, height, LargestShift(height, fraction), mirror: false);  // (N, H)
            var columns = SourceIndices(n, width, LargestShift(width, fraction), mirror: flip);  // (N, W)
            // out[b, c, i, j] = in[b, c, rows[b, i], columns[b, j]]: two gathers, one per axis, no per-example loop
            var shiftedRows = inputs.gather(2, rows.view(n, 1, height, 1).expand(n, inputs.shape[1], height, width));
            var shifted = shiftedRows.gather(3, columns.view(n, 1, 1, width).expand(n, inputs.shape[1], height, width));
            return (shifted.MoveToOuterDisposeScope(), targets);
        };
    }

    /// <summary>
    /// Every image of the batch translated by the same (<paramref name="down"/>, <paramref name="right"/>) pixels, with
    /// the edge padding <see cref="Shift"/> uses, and mirrored left-right first when <paramref name="mirror"/>: one of
    /// the views the training augmentation draws from, chosen rather than drawn (test-time augmentation).
    /// </summary>
    public static Tensor Translate(Tensor images, long down, long right, bool mirror = false)
    {
        if (images.dim() != 4) throw new ArgumentException($"image translation expects (N, C, H, W) batches, found shape ({string.Join(", ", images.shape)})");
        using var scope = NewDisposeScope();
        long height = images.shape[2], width = images.shape[3];
        var rows = (arange(height, dtype: ScalarType.Int64, device: images.device) - down).clamp(0, height - 1);
        var columns = (arange(width, dtype: ScalarType.Int64, device: images.device) - right).clamp(0, width - 1);
        if (mirror) columns = (width - 1) - columns;
        return images.index_select(2, rows).index_select(3, columns).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The largest shift <see cref="Shift"/> makes along a side of <paramref name="side"/> pixels: at least one pixel (unless
    /// the fraction is 0), so that "shift" changes something even on tiny images.
    /// </summary>
    public static long LargestShift(long side, double fraction = DefaultShiftFraction) => fraction == 0 ? 0 : Math.Max(1, (long)Math.Round(fraction * side));

    /// <summary>
    /// For each of <paramref name="n"/> examples, the source position of every output position along an axis of
    /// <paramref name="side"/>: shifted by a uniform offset in [−max, max], clamped to the edge (edge padding), and
    /// on a per-example coin read right to left when <paramref name="mirror"/>.
    /// </summary>
    static Tensor SourceIndices(long n, long side, long max, bool mirror)
    {
        var offsets = randint(-max, max + 1, [n, 1], dtype: ScalarType.Int64);
        var source = (arange(side, dtype: ScalarType.Int64).unsqueeze(0) - offsets).clamp(0, side - 1); // (N, side)
        if (!mirror) return source;
        var flipped = rand(n, 1).lt(0.5);
        return where(flipped, (side - 1) - source, source);
    }
}
