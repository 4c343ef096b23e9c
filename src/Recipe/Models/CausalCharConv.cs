using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A character-level autoregressive model: embeddings, then a convolution over the last
/// <c>context</c> characters, padded on the left only, so the output at t sees inputs ≤ t (and the
/// input at t is the character before the target at t).
/// </summary>
public sealed class CausalCharConv : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Embedding _embedding;
    readonly Conv1d _conv;
    readonly Linear _output;
    readonly long _context;

    public CausalCharConv(long vocabularySize, int embedding = 24, int hidden = 128, int context = 4) : base(nameof(CausalCharConv))
    {
        _context = context;
        _embedding = Embedding(vocabularySize, embedding);
        _conv = Conv1d(embedding, hidden, context);
        _output = Linear(hidden, vocabularySize);
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor tokens) // (B, T) int64 -> (B, T, V)
    {
        using var scope = NewDisposeScope();
        var x = _embedding.call(tokens).transpose(1, 2);              // (B, E, T)
        x = functional.pad(x, [_context - 1, 0]);                      // left padding only: causal
        var h = functional.relu(_conv.call(x)).transpose(1, 2);        // (B, T, H)
        return _output.call(h).MoveToOuterDisposeScope();              // (B, T, V)
    }
}
