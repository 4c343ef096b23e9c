using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A character-level GRU (Cho et al. 2014): embeddings, a stack of GRU layers read left to right, and a linear layer on
/// each step's state. The state at t has seen every token up to t and nothing after, so the model is causal by
/// construction and its context is the whole line, at the cost of a step-by-step loop that cannot run in parallel over t.
/// </summary>
public sealed class CharGru : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Embedding _embedding;
    readonly GRU _gru;
    readonly Linear _output;

    /// <param name="width">Hidden state size.</param>
    /// <param name="depth">Stacked GRU layers.</param>
    public CharGru(long vocabularySize, int embedding = 24, int width = 128, int depth = 1) : base(nameof(CharGru))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        _embedding = Embedding(vocabularySize, embedding);
        _gru = GRU(embedding, width, numLayers: depth, batchFirst: true);
        _output = Linear(width, vocabularySize);
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor tokens) // (B, T) int64 -> (B, T, V)
    {
        using var scope = NewDisposeScope();
        var (states, _) = _gru.call(_embedding.call(tokens), null);                   // (B, T, H); the initial state is zero
        return _output.call(states).MoveToOuterDisposeScope();
    }
}
