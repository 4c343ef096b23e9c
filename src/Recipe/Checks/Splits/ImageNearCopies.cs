using Recipe.Data;
using Recipe.Inspect;
using static TorchSharp.torch;

namespace Recipe.Checks.Splits;

/// <summary>
/// Near-duplicate images across the pipeline's own splits, found by stage 1's search (<see cref="NearDuplicates"/>:
/// background and contrast removed, shifts up to a few pixels lined up, pairs verified and kept only when they stand out
/// from their look-alikes): a one-pixel shift, a brightness change or pixel noise does not hide a copy.
/// </summary>
public static class ImageNearCopies
{
    const int Chunk = 2048;

    /// <summary>Images are (N, C, H, W), stored as bytes or, in a provider's own dataset, as floats on any scale.</summary>
    public static bool Applies(Dataset data) => data.Train.Inputs.dim() == 4;

    /// <summary>Near-duplicate pairs (global numbers over the splits in turn), one representative per exact-copy group searched.</summary>
    public static NearDuplicateSearch Find(IReadOnlyList<DataSplit> splits, CopyRelation exact, NearDuplicateOptions options)
    {
        var shape = splits.First(s => s.Count > 0).Inputs.shape;
        // Fingerprints expect the 0..255 scale (their blank-image floor is in those units): floats are stretched to it.
        double scale = 1;
        if (splits[0].Inputs.is_floating_point())
        {
            double low = splits.Where(s => s.Count > 0).Min(s => s.Inputs.min().item<float>());
            double high = splits.Where(s => s.Count > 0).Max(s => s.Inputs.max().item<float>());
            scale = high > low ? 255 / (high - low) : 1;
        }
        using var fingerprints = ImageFingerprints.Empty(exact.Count, shape[2], shape[3], options);
        for (int s = 0; s < splits.Count; s++)
            for (long start = 0; start < splits[s].Count; start += Chunk)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(Chunk, splits[s].Count - start);
                var gray = splits[s].Inputs.narrow(0, start, length).to_type(float32).mean([1]) * scale;   // (N, H, W)
                fingerprints.Add(exact.Global(s, (int)start), gray);
            }
        var seen = new HashSet<int>();
        var include = Enumerable.Range(0, exact.Count).Select(g => exact.GroupOf(g) < 0 || seen.Add(exact.GroupOf(g))).ToArray();
        return NearDuplicates.Find(fingerprints, include, options);
    }
}
