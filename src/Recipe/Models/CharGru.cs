using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A character-level GRU (Cho et al. 2014): embeddings, a stack of GRU layers read left to right, and a linear layer on
/// each step's state. The state at t has seen every token up to t and nothing after, so the model is causal by
/// construction and its context is the whole line, at the cost of a step-by-step loop that cannot run in parallel over t.
/// With <c>dropout</c> &gt; 0 (Zaremba et al. 2014: on the connections between layers, never on the recurrent state),
/// embeddings, the outputs of every GRU layer but the last (the GRU's own dropout) and the last states are dropped out.
/// </summary>
public sealed class CharGru : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Embedding _embedding;
    readonly GRU _gru;
    readonly Linear _output;
    readonly Dropout? _dropout;

    /// <param name="width">Hidden state size.</param>
    /// <param name="depth">Stacked GRU layers.</param>
    /// <param name="dropout">Probability of zeroing a value between layers in training mode; 0 adds no layer.</param>
    public CharGru(long vocabularySize, int embedding = 24, int width = 128, int depth = 1, double dropout = 0) : base(nameof(CharGru))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        _embedding = Embedding(vocabularySize, embedding);
        _gru = GRU(embedding, width, numLayers: depth, batchFirst: true, dropout: depth > 1 ? dropout : 0);
        if (dropout > 0) _dropout = Dropout(dropout);
        _output = Linear(width, vocabularySize);
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor tokens) // (B, T) int64 -> (B, T, V)
    {
        using var scope = NewDisposeScope();
        var embedded = _embedding.call(tokens);
        if (_dropout is not null) embedded = _dropout.call(embedded);
        var (states, _) = _gru.call(embedded, null);                                  // (B, T, H); the initial state is zero
        if (_dropout is not null) states = _dropout.call(states);
        return _output.call(states).MoveToOuterDisposeScope();
    }
}
