using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// The examples of one split, held whole in memory as two tensors so that batches are gathered with
/// one index_select and no per-element managed loop.
/// Inputs: images uint8 (N, C, H, W); tables float32 (N, F); text int64 (N, T).
/// Targets: classes int64 (N); regression float32 (N); sequences int64 (N, T) with -1 = ignore.
/// </summary>
public sealed class DataSplit : IDisposable
{
    public DataSplit(string name, Tensor inputs, Tensor targets, IReadOnlyList<string>? origins = null, long[]? sourceIndices = null)
    {
        if (inputs.shape[0] != targets.shape[0])
            throw new ArgumentException($"split '{name}': {inputs.shape[0]} inputs but {targets.shape[0]} targets");
        Name = name;
        Inputs = inputs;
        Targets = targets;
        Origins = origins;
        SourceIndices = sourceIndices ?? Enumerable.Range(0, (int)inputs.shape[0]).Select(i => (long)i).ToArray();
    }

    /// <summary>"train", "validation" or "test".</summary>
    public string Name { get; }
    public Tensor Inputs { get; }
    public Tensor Targets { get; }
    /// <summary>Where each example came from (a file path, "line 12", "row 5"); null when the index says it all.</summary>
    public IReadOnlyList<string>? Origins { get; }
    /// <summary>For each example, its index in the file it was read from (before any carving of splits).</summary>
    public long[] SourceIndices { get; }
    public int Count => (int)Inputs.shape[0];

    /// <summary>Human-readable origin of example <paramref name="index"/>.</summary>
    public string OriginOf(int index) => Origins?[index] ?? $"#{SourceIndices[index]}";

    /// <summary>A new split holding the chosen examples, in the given order.</summary>
    public DataSplit Subset(string name, long[] indices)
    {
        using var index = tensor(indices, dtype: int64);
        return new DataSplit(name, Inputs.index_select(0, index), Targets.index_select(0, index),
            Origins is null ? null : indices.Select(i => Origins[(int)i]).ToArray(),
            indices.Select(i => SourceIndices[i]).ToArray());
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
