using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>
/// Each image's descriptor at every probed shift: the means of the CellSize×CellSize cells of its
/// central window (MaxShift pixels of margin on each side), minus their own mean. Shifting the window
/// by exactly the shift between an image and its shifted copy makes their descriptors equal (up to
/// noise): the margin holds whatever the shift pushed out of the frame. Only half of the shifts are
/// probed: a pair shifted by t is found from whichever of the two images has t in that half.
/// </summary>
public sealed class ShiftedDescriptors
{
    ShiftedDescriptors(float[] values, int count, (int Dy, int Dx)[] shifts, int dimension)
    {
        Values = values;
        Count = count;
        Shifts = shifts;
        Dimension = dimension;
    }

    /// <summary>Row-major (N, Shifts, Dimension); shift 0 is (0, 0), the image's own descriptor.</summary>
    public float[] Values { get; }
    public int Count { get; }
    public (int Dy, int Dx)[] Shifts { get; }
    public int Dimension { get; }

    /// <summary>The descriptors of the given images only, renumbered 0.. in that order.</summary>
    public ShiftedDescriptors Subset(int[] images)
    {
        if (images.Length == Count) return this;
        int row = Shifts.Length * Dimension;
        var values = new float[(long)images.Length * row];
        for (int i = 0; i < images.Length; i++) Array.Copy(Values, (long)images[i] * row, values, (long)i * row, row);
        return new ShiftedDescriptors(values, images.Length, Shifts, Dimension);
    }

    public ReadOnlySpan<float> Of(int image, int shift) => Values.AsSpan((image * Shifts.Length + shift) * Dimension, Dimension);

    /// <summary>(0, 0) first, then every shift with dy &gt; 0, or dy = 0 and dx &gt; 0, up to <paramref name="maxShift"/>.</summary>
    public static (int Dy, int Dx)[] HalfPlane(int maxShift) =>
        (from dy in Enumerable.Range(0, maxShift + 1)
         from dx in Enumerable.Range(-maxShift, 2 * maxShift + 1)
         where dy > 0 || dx >= 0
         select (dy, dx)).ToArray();

    /// <param name="normalized">(N, S, S) images from <see cref="ImageFingerprints"/>.</param>
    public static ShiftedDescriptors Compute(Tensor normalized, NearDuplicateOptions options, int chunk = GrayChunks.DefaultChunk)
    {
        int n = (int)normalized.shape[0], size = (int)normalized.shape[1];
        int margin = options.MaxShift, cell = options.CellSize;
        int cells = (size - 2 * margin) / cell;
        if (cells < 2) throw new ArgumentException($"work size {size} leaves fewer than 2 cells of {cell} pixels after a margin of {margin}");
        var shifts = HalfPlane(margin);
        int dimension = cells * cells, offsets = 2 * margin + 1;
        var values = new float[(long)n * shifts.Length * dimension];
        // Cell means as matrix products: rows (offsets·cells, S) · image · columnsᵀ gives every (dy, dx) at once.
        using var cellMap = CellMap(size, cells, cell, margin);                              // (offsets·cells, S)
        using var picks = tensor(shifts.Select(s => (long)((s.Dy + margin) * offsets + s.Dx + margin)).ToArray());
        for (int start = 0; start < n; start += chunk)
        {
            int length = Math.Min(chunk, n - start);
            using var scope = NewDisposeScope();
            var x = normalized.narrow(0, start, length);
            var means = cellMap.matmul(x).matmul(cellMap.t())                              // (n, offsets·cells, offsets·cells)
                .view(length, offsets, cells, offsets, cells).permute(0, 1, 3, 2, 4)       // (n, dy, dx, cells, cells)
                .reshape(length, offsets * offsets, dimension).index_select(1, picks);      // (n, shifts, D)
            var centred = means - means.mean([2], keepdim: true);
            var block = TensorCopy.ToArray<float>(centred);
            Array.Copy(block, 0, values, (long)start * shifts.Length * dimension, block.Length);
        }
        return new ShiftedDescriptors(values, n, shifts, dimension);
    }

    /// <summary>
    /// (offsets·cells, S): row (o, i) averages the <paramref name="cell"/> pixels of cell i of the window
    /// shifted by o − margin; pixels outside the image count as background (0).
    /// </summary>
    static Tensor CellMap(int size, int cells, int cell, int margin)
    {
        int offsets = 2 * margin + 1;
        var map = new float[offsets * cells * size];
        for (int o = 0; o < offsets; o++)
            for (int i = 0; i < cells; i++)
                for (int p = 0; p < cell; p++)
                {
                    int pixel = margin + (o - margin) + i * cell + p;
                    if (pixel >= 0 && pixel < size) map[(o * cells + i) * size + pixel] = 1f / cell;
                }
        return tensor(map).view(offsets * cells, size);
    }
}
