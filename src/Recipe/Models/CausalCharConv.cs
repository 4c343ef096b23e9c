using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A character-level autoregressive model: embeddings, then a stack of causal convolutions of width 2
/// whose dilation doubles at each layer (1, 2, 4, …), each padded on the left only, so the output at t
/// sees inputs ≤ t (and the input at t is the character before the target at t). With L layers the
/// output sees the last 2^L characters; <see cref="ContextFor"/> picks L so that every position sees
/// back to the start of its line. A fixed 4-character window cannot tell the 33rd space of an
/// indentation from the 3rd; seeing the line's start (the boundary token) can, and costs only
/// log2(line length) layers.
/// </summary>
public sealed class CausalCharConv : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Embedding _embedding;
    readonly ModuleList<Conv1d> _layers = new();
    readonly Linear _output;
    readonly long[] _dilations;

    /// <param name="context">Characters each output sees (the receptive field), rounded up to a power of two.</param>
    public CausalCharConv(long vocabularySize, int embedding = 24, int hidden = 128, int context = 32) : base(nameof(CausalCharConv))
    {
        int layers = LayersFor(context);
        _dilations = Enumerable.Range(0, layers).Select(i => 1L << i).ToArray();
        _embedding = Embedding(vocabularySize, embedding);
        for (int i = 0; i < layers; i++)
            _layers.Add(Conv1d(i == 0 ? embedding : hidden, hidden, 2, dilation: _dilations[i]));
        _output = Linear(hidden, vocabularySize);
        RegisterComponents();
    }

    /// <summary>Characters each output sees: 2^layers.</summary>
    public int Context => 1 << _dilations.Length;

    public Linear Output => _output;

    /// <summary>
    /// The receptive field for sequences of <paramref name="sequenceLength"/> positions: the smallest power of two
    /// that covers the whole sequence, so the last position still sees the boundary token at the start.
    /// </summary>
    public static int ContextFor(long sequenceLength) => 1 << LayersFor((int)Math.Max(2, sequenceLength));

    static int LayersFor(int context) => Math.Max(1, (int)Math.Ceiling(Math.Log2(Math.Max(2, context))));

    public override Tensor forward(Tensor tokens) // (B, T) int64 -> (B, T, V)
    {
        using var scope = NewDisposeScope();
        var h = _embedding.call(tokens).transpose(1, 2);                                  // (B, E, T)
        for (int i = 0; i < _layers.Count; i++)
        {
            // Left padding by the dilation only: the output at t mixes t and t − dilation, never t + anything.
            var mixed = functional.relu(_layers[i].call(functional.pad(h, [_dilations[i], 0])));   // (B, H, T)
            h = i == 0 ? mixed : h + mixed;                                                       // residual past the first layer
        }
        return _output.call(h.transpose(1, 2)).MoveToOuterDisposeScope();                 // (B, T, V)
    }
}
