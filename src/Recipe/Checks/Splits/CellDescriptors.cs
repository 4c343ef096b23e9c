using Recipe.Inspect;
using static TorchSharp.torch;

namespace Recipe.Checks.Splits;

/// <summary>
/// The descriptor stage 1's search uses (<see cref="ShiftedDescriptors"/>: the means of CellSize×CellSize cells of the
/// central window, minus their own mean), at any set of shifts of the window. A query needs every shift in both
/// directions, because only the query side is shifted here (stage 1 probes half the shifts from both images of a pair).
/// </summary>
public static class CellDescriptors
{
    /// <summary>Every shift up to MaxShift on each axis, (0, 0) first.</summary>
    public static (int Dy, int Dx)[] AllShifts(int maxShift) =>
        [(0, 0), .. from dy in Enumerable.Range(-maxShift, 2 * maxShift + 1)
                    from dx in Enumerable.Range(-maxShift, 2 * maxShift + 1)
                    where dy != 0 || dx != 0
                    select (dy, dx)];

    public static int Cells(long size, NearDuplicateOptions options) => (int)(size - 2 * options.MaxShift) / options.CellSize;

    /// <param name="normalized">(N, S, S) images from <see cref="ImageFingerprints"/>.</param>
    /// <returns>(N, shifts, cells²) float32: the window moved by (dy, dx) starts at pixel (MaxShift + dy, MaxShift + dx).</returns>
    public static Tensor Of(Tensor normalized, (int Dy, int Dx)[] shifts, NearDuplicateOptions options)
    {
        long n = normalized.shape[0], size = normalized.shape[1];
        int cell = options.CellSize, margin = options.MaxShift, cells = Cells(size, options);
        if (cells < 2) throw new ArgumentException($"work size {size} leaves fewer than 2 cells of {cell} pixels after a margin of {margin}");
        using var scope = NewDisposeScope();
        long positions = (size - cell + 1) * (size - cell + 1);
        Tensor[] perShift;
        if (shifts.Length * cells * cells < positions)
        {
            // Few shifts (an index's own descriptors: one): pool each shifted window with a stride of one cell, the means
            // it needs and no others. Pooling every position (below) would compute (S-cell+1)² means for cells² used.
            var images = normalized.unsqueeze(1);
            int window = cells * cell;
            perShift = shifts.Select(s => nn.functional.avg_pool2d(images.narrow(2, margin + s.Dy, window).narrow(3, margin + s.Dx, window), cell, stride: cell)
                .reshape(n, cells * cells)).ToArray();
        }
        else
        {
            // Many shifts (a query's 25) share their cells: every cell-sized mean at every position, then each shift's cells read
            // off with a stride of one cell. The same means as above, summed in the same order.
            var pooled = nn.functional.avg_pool2d(normalized.unsqueeze(1), cell, stride: 1).squeeze(1);   // (N, S-cell+1, S-cell+1)
            perShift = shifts.Select(s => pooled
                .index(TensorIndex.Ellipsis, TensorIndex.Slice(margin + s.Dy, margin + s.Dy + cells * cell, cell), TensorIndex.Slice(margin + s.Dx, margin + s.Dx + cells * cell, cell))
                .reshape(n, cells * cells)).ToArray();
        }
        var means = stack(perShift, 1);                                                               // (N, shifts, D)
        return (means - means.mean([2], keepdim: true)).contiguous().MoveToOuterDisposeScope();
    }
}
