using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>
/// Walks all images of a numbering a chunk at a time as gray float32 (N, H, W) on the 0..255 scale
/// (RGB averaged), each chunk in its own dispose scope, so a whole-dataset pass needs memory for a few
/// chunks only and every statistic is a whole-chunk tensor op. Chunks run on all cores at once (one
/// torch thread each: libtorch's own threads spin badly on a busy machine); visitors must write only
/// their chunk's rows.
/// </summary>
public static class GrayChunks
{
    public const int DefaultChunk = 4096;

    /// <param name="visit">Called with the global number of the chunk's first image and the chunk.</param>
    public static void ForEach(ExampleNumbering numbering, Action<int, Tensor> visit, int chunk = DefaultChunk, Action<int>? advance = null)
    {
        var work = new List<(int Split, long Start, long Length)>();
        for (int s = 0; s < numbering.Splits.Count; s++)
            for (long start = 0; start < numbering.Splits[s].Count; start += chunk)
                work.Add((s, start, Math.Min(chunk, numbering.Splits[s].Count - start)));
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, item =>
        {
            using var scope = NewDisposeScope();
            var gray = numbering.Splits[item.Split].Inputs.narrow(0, item.Start, item.Length).to_type(float32).mean([1]); // (N, H, W)
            visit(numbering.Offset(item.Split) + (int)item.Start, gray);
            advance?.Invoke((int)item.Length);
        });
    }

    /// <summary>Runs <paramref name="work"/> with libtorch limited to one thread per operation, then restores the setting.</summary>
    public static T SingleThreadedTorch<T>(Func<T> work)
    {
        int before = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try { return work(); }
        finally { TorchSharp.torch.set_num_threads(before); }
    }
}
