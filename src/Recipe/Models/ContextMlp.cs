using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// Bengio et al. (2003), "A Neural Probabilistic Language Model", on characters: the output at t reads the embeddings
/// of the last <c>context</c> tokens (t − context + 1 … t, the boundary token before a line's start), concatenated, through
/// tanh hidden layers. A fixed window, like an n-gram, but the embeddings share what similar characters do, so it needs
/// far fewer parameters than a count table of that order. With <c>dropout</c> &gt; 0 the window's embeddings and every
/// hidden layer's output are dropped out.
/// </summary>
public sealed class ContextMlp : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly int _context;
    readonly Embedding _embedding;
    readonly Sequential _hidden;
    readonly Linear _output;
    readonly Dropout? _embeddingDrop;

    /// <param name="context">Tokens each output reads, its own position included.</param>
    /// <param name="width">Hidden units per layer.</param>
    /// <param name="depth">Hidden tanh layers.</param>
    /// <param name="dropout">Probability of zeroing an embedding value or hidden unit in training mode; 0 adds no layer.</param>
    public ContextMlp(long vocabularySize, int context = 8, int embedding = 16, int width = 128, int depth = 1, double dropout = 0) : base(nameof(ContextMlp))
    {
        if (dropout > 0) _embeddingDrop = Dropout(dropout);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        _context = context;
        _embedding = Embedding(vocabularySize, embedding);
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        long features = (long)context * embedding;
        for (int i = 0; i < depth; i++)
        {
            layers.Add(($"linear{i}", Linear(features, width)));
            layers.Add(($"tanh{i}", Tanh()));
            if (dropout > 0) layers.Add(($"dropout{i}", Dropout(dropout)));
            features = width;
        }
        _hidden = Sequential(layers);
        _output = Linear(features, vocabularySize);
        RegisterComponents();
    }

    /// <summary>Tokens each output reads.</summary>
    public int Context => _context;

    public Linear Output => _output;

    public override Tensor forward(Tensor tokens) // (B, T) int64 -> (B, T, V)
    {
        using var scope = NewDisposeScope();
        long batch = tokens.shape[0], steps = tokens.shape[1];
        // Left padding with the boundary token (id 0, what precedes every line) and windows that end at t: no window reaches past t.
        var padded = functional.pad(tokens, [_context - 1, 0], value: 0);
        var windows = padded.unfold(1, _context, 1);                                  // (B, T, context), oldest first
        var features = _embedding.call(windows).reshape(batch, steps, -1);            // (B, T, context · E)
        if (_embeddingDrop is not null) features = _embeddingDrop.call(features);
        return _output.call(_hidden.call(features)).MoveToOuterDisposeScope();        // (B, T, V)
    }
}
