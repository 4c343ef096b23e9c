using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A small decoder-only transformer on characters (GPT-style): token embeddings plus learned position embeddings,
/// pre-norm blocks of causal self-attention and an MLP, a final layer norm and a linear layer to the vocabulary. Every
/// position sees the whole line before it in one parallel pass; positions are learned up to the dataset's longest line.
/// With <c>dropout</c> &gt; 0, as in GPT-2: on the summed embeddings and on each branch's output before it joins the residual stream.
/// </summary>
public sealed class CausalTransformer : Module<Tensor, Tensor>, IHasOutputLayer
{
    /// <summary>Channels per attention head; the width is split into width / 16 heads (one head when it does not divide).</summary>
    const int HeadSize = 16;

    readonly long _maxSteps;
    readonly Embedding _tokens;
    readonly Embedding _positions;
    readonly ModuleList<TransformerBlock> _blocks = new();
    readonly LayerNorm _finalNorm;
    readonly Linear _output;
    readonly Dropout? _embeddingDrop;

    /// <param name="maxSteps">Longest sequence: the number of learned positions.</param>
    /// <param name="width">Channels of the residual stream (the model dimension).</param>
    /// <param name="depth">Transformer blocks.</param>
    /// <param name="dropout">Probability of zeroing a value of the embeddings or a residual branch in training mode; 0 adds no layer.</param>
    public CausalTransformer(long vocabularySize, long maxSteps, int width = 64, int depth = 2, double dropout = 0) : base(nameof(CausalTransformer))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        _maxSteps = maxSteps;
        _tokens = Embedding(vocabularySize, width);
        _positions = Embedding(maxSteps, width);
        int heads = width % HeadSize == 0 ? width / HeadSize : 1;
        for (int i = 0; i < depth; i++) _blocks.Add(new TransformerBlock(width, heads, dropout));
        if (dropout > 0) _embeddingDrop = Dropout(dropout);
        _finalNorm = LayerNorm(width);
        _output = Linear(width, vocabularySize);
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor tokens) // (B, T) int64 -> (B, T, V)
    {
        long steps = tokens.shape[1];
        if (steps > _maxSteps) throw new ArgumentException($"a sequence of {steps} positions is longer than the {_maxSteps} positions this transformer learned");
        using var scope = NewDisposeScope();
        var x = _tokens.call(tokens) + _positions.call(arange(steps, dtype: ScalarType.Int64)); // (B, T, D) + (T, D)
        if (_embeddingDrop is not null) x = _embeddingDrop.call(x);
        foreach (var block in _blocks) x = block.call(x);
        return _output.call(_finalNorm.call(x)).MoveToOuterDisposeScope();               // (B, T, V)
    }
}
