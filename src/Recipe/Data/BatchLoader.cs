using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// Cuts a split into batches: one index_select per batch on the split's whole-in-memory tensors,
/// so no managed loop touches individual elements. Shuffling draws a permutation from a seeded
/// torch generator, so the data order is fixed by the seed. With <paramref name="trimPadding"/>, batches of token
/// sequences are cut after their longest line (<see cref="TrailingPadding"/>): the columns past it are padding the loss
/// ignores. Off by default: a consumer that joins batches (a check collecting inputs) needs them all the same width.
/// </summary>
public sealed class BatchLoader(DataSplit split, int batchSize, bool shuffle, long seed = 0, bool trimPadding = false)
{
    readonly Generator _generator = new Generator((ulong)seed);

    public int BatchSize => batchSize;
    public int BatchCount => (split.Count + batchSize - 1) / batchSize;

    /// <summary>Batches of stored (un-normalized) inputs and targets, in shuffled or file order.</summary>
    public IEnumerable<(Tensor Inputs, Tensor Targets)> Batches()
    {
        using var order = shuffle ? torch.randperm(split.Count, generator: _generator) : torch.arange(split.Count, dtype: int64);
        for (int start = 0; start < split.Count; start += batchSize)
        {
            using var index = order.narrow(0, start, Math.Min(batchSize, split.Count - start));
            var (inputs, targets) = (split.Inputs.index_select(0, index), split.Targets.index_select(0, index));
            yield return trimPadding && TrailingPadding.Applies(inputs, targets) ? TrailingPadding.Trim(inputs, targets) : (inputs, targets);
        }
    }
}
