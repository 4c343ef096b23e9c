using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// An MLP for tables whose categorical columns enter through learned embeddings (Guo &amp; Berkhahn 2016, "entity
/// embeddings"): each one-hot block is read back as a code and looked up in its own small table of vectors, the
/// numeric features pass through, and the concatenation feeds <c>depth</c> hidden ReLU layers. A column with many
/// categories then costs a few dense numbers instead of one input weight per category and hidden unit, and categories
/// that act alike can end up near each other.
/// </summary>
public sealed class EmbeddingMlp : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly CategoricalBlock[] _blocks;
    readonly long[] _numericColumns;
    readonly ModuleList<Embedding> _embeddings = new();
    readonly Sequential _hidden;
    readonly Linear _output;

    /// <param name="inputSize">Features per row, one-hot blocks included.</param>
    /// <param name="blocks">Where the categorical columns' one-hot blocks sit (<see cref="CategoricalBlocks.Of"/>).</param>
    /// <param name="dropout">Probability of zeroing a hidden unit in training mode, after every hidden layer; 0 adds no layer.</param>
    public EmbeddingMlp(long inputSize, IReadOnlyList<CategoricalBlock> blocks, long outputs, int width = 128, int depth = 1, double dropout = 0) : base(nameof(EmbeddingMlp))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        _blocks = [.. blocks];
        var inBlock = blocks.SelectMany(b => Enumerable.Range(b.Start, b.Count)).ToHashSet();
        _numericColumns = [.. Enumerable.Range(0, (int)inputSize).Where(i => !inBlock.Contains(i)).Select(i => (long)i)];
        long features = _numericColumns.Length;
        foreach (var block in blocks)
        {
            long size = DimensionFor(block.Count);
            _embeddings.Add(Embedding(block.Count, size));
            features += size;
        }
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        for (int i = 0; i < depth; i++)
        {
            layers.Add(($"linear{i}", Linear(features, width)));
            layers.Add(($"relu{i}", ReLU()));
            if (dropout > 0) layers.Add(($"dropout{i}", Dropout(dropout)));
            features = width;
        }
        _hidden = Sequential(layers);
        _output = Linear(features, outputs);
        RegisterComponents();
    }

    /// <summary>
    /// Embedding size for a column of <paramref name="categories"/> codes: about half of them, at most 16. Two codes get
    /// two numbers; a column of hundreds gets 16, where the one-hot MLP spends one weight per code and hidden unit.
    /// </summary>
    public static long DimensionFor(int categories) => Math.Clamp((categories + 1) / 2, 2, 16);

    public Linear Output => _output;

    public override Tensor forward(Tensor x) // (B, F) one-hot table rows -> (B, outputs)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor> { x.index_select(1, tensor(_numericColumns)) };
        for (int i = 0; i < _blocks.Length; i++)
        {
            // The code is the block's hot position; argmax also holds after a positive per-feature rescaling of the 0/1 values.
            var codes = x.narrow(1, _blocks[i].Start, _blocks[i].Count).argmax(1);
            parts.Add(_embeddings[i].call(codes));
        }
        var features = cat(parts, 1);
        return _output.call(_hidden.call(features)).MoveToOuterDisposeScope();
    }
}
