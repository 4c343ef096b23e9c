using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A character-level autoregressive model: embeddings, a causal convolution over the last 4 characters,
/// then residual causal convolutions of width 2 whose dilation doubles at each layer (4, 8, 16, …); every
/// convolution is padded on the left only, so the output at t sees inputs ≤ t (and the input at t is the
/// character before the target at t). The receptive field doubles with each layer (4, 8, 16, …);
/// <see cref="ContextFor"/> picks it so that every position sees back to the start of its line. A fixed
/// 4-character window cannot tell the 33rd space of an indentation from the 3rd; seeing the line's start
/// (the boundary token) can, and costs only log2(line length / 4) layers.
/// With <c>dropout</c> &gt; 0, embeddings and each layer's output (before it joins the residual sum) are dropped out.
/// Dropout acts per position, so it cannot carry information from a later position to an earlier one.
/// </summary>
public sealed class CausalCharConv : Module<Tensor, Tensor>, IHasOutputLayer
{
    /// <summary>Characters the first convolution reads: the local window the dilated layers build on.</summary>
    const int Window = 4;

    readonly Embedding _embedding;
    readonly ModuleList<Conv1d> _layers = new();
    readonly Linear _output;
    readonly long[] _reach; // per layer: how far back its second tap reads (the first layer: its window − 1)
    readonly Dropout? _dropout;

    /// <param name="context">Characters each output should see (the receptive field); rounded up to 4 · 2^k.</param>
    /// <param name="dropout">Probability of zeroing an embedding value or a layer output in training mode; 0 adds no layer.</param>
    public CausalCharConv(long vocabularySize, int embedding = 24, int hidden = 64, int context = 32, double dropout = 0) : base(nameof(CausalCharConv))
    {
        if (dropout > 0) _dropout = Dropout(dropout);
        _embedding = Embedding(vocabularySize, embedding);
        _layers.Add(Conv1d(embedding, hidden, Window));
        var reach = new List<long> { Window - 1 };
        for (long field = Window; field < context; field *= 2)
        {
            _layers.Add(Conv1d(hidden, hidden, 2, dilation: field));   // adds `field` characters of reach: the field doubles
            reach.Add(field);
        }
        _reach = [.. reach];
        // The residual sum grows with depth; FinalLayerInit shrinks these weights with the bias it sets, as for every
        // sequence model, so the untrained logits sit at the prior.
        _output = Linear(hidden, vocabularySize);
        RegisterComponents();
    }

    /// <summary>Characters each output sees (the receptive field).</summary>
    public int Context => (int)_reach.Sum() + 1;

    public Linear Output => _output;

    /// <summary>
    /// The receptive field for sequences of <paramref name="sequenceLength"/> positions: the smallest power of two
    /// that covers the whole sequence, so the last position still sees the boundary token at the start.
    /// </summary>
    public static int ContextFor(long sequenceLength)
    {
        int context = 1;
        while (context < sequenceLength) context *= 2;
        return context;
    }

    public override Tensor forward(Tensor tokens) // (B, T) int64 -> (B, T, V)
    {
        using var scope = NewDisposeScope();
        var h = Drop(_embedding.call(tokens)).transpose(1, 2);                                  // (B, E, T)
        for (int i = 0; i < _layers.Count; i++)
        {
            // Left padding by the layer's reach only: the output at t mixes t and earlier positions, never later ones.
            var mixed = Drop(functional.relu(_layers[i].call(functional.pad(h, [_reach[i], 0])))); // (B, H, T)
            h = i == 0 ? mixed : h + mixed;                                                     // residual past the first layer
        }
        return _output.call(h.transpose(1, 2)).MoveToOuterDisposeScope();                       // (B, T, V)
    }

    Tensor Drop(Tensor x) => _dropout is null ? x : _dropout.call(x);
}
