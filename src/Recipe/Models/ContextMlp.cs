using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// Bengio et al. (2003), "A Neural Probabilistic Language Model", on characters: the output at t reads the embeddings
/// of the last <c>context</c> tokens (t − context + 1 … t, the boundary token before a line's start), concatenated, through
/// tanh hidden layers. A fixed window, like an n-gram, but the embeddings share what similar characters do, so it needs
/// far fewer parameters than a count table of that order.
/// </summary>
public sealed class ContextMlp : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly int _context;
    readonly Embedding _embedding;
    readonly Sequential _hidden;
    readonly Linear _output;

    /// <param name="context">Tokens each output reads, its own position included.</param>
    /// <param name="width">Hidden units per layer.</param>
    /// <param name="depth">Hidden tanh layers.</param>
    public ContextMlp(long vocabularySize, int context = 8, int embedding = 16, int width = 128, int depth = 1) : base(nameof(ContextMlp))
    {
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
        return _output.call(_hidden.call(features)).MoveToOuterDisposeScope();        // (B, T, V)
    }
}
