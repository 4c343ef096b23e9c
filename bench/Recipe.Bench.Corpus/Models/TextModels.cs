using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Bench.Corpus.Models;

/// <summary>Bengio-style window MLP: an embedding per character of the window, concatenated, one hidden layer, logits.</summary>
public sealed class WindowMlp : Module<Tensor, Tensor>
{
    readonly Embedding _embedding;
    readonly Linear _hidden, _output;

    public WindowMlp(long vocabulary, long window, long classes, long embedding = 12, long hidden = 96) : base(nameof(WindowMlp))
    {
        _embedding = Embedding(vocabulary, embedding);
        _hidden = Linear(window * embedding, hidden);
        _output = Linear(hidden, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens) // (B, W) int64 -> (B, classes)
    {
        using var scope = NewDisposeScope();
        var h = functional.tanh(_hidden.call(_embedding.call(tokens).flatten(1)));
        return _output.call(h).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A GRU over a character window, read sequence-first as TorchSharp's GRU defaults to: (B, W, E) → (W, B, E).
/// <c>viewInsteadOfPermute</c> writes that reorder with view.
/// </summary>
public sealed class WindowGru : Module<Tensor, Tensor>
{
    readonly Embedding _embedding;
    readonly GRU _gru;
    readonly Linear _output;
    readonly bool _viewInsteadOfPermute;

    public WindowGru(long vocabulary, long classes, long embedding = 16, long hidden = 64, bool viewInsteadOfPermute = false) : base(nameof(WindowGru))
    {
        _embedding = Embedding(vocabulary, embedding);
        _gru = GRU(embedding, hidden);
        _output = Linear(hidden, classes);
        _viewInsteadOfPermute = viewInsteadOfPermute;
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var e = _embedding.call(tokens);                                         // (B, W, E)
        long b = e.shape[0], w = e.shape[1], d = e.shape[2];
        var sequenceFirst = _viewInsteadOfPermute ? e.view(w, b, d) : e.permute(1, 0, 2);
        var (_, last) = _gru.call(sequenceFirst, null);                          // last: (1, B, H)
        return _output.call(last[0]).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A character language model: embedding, a batch-first GRU, a per-position classifier (B, T) → (B, T, V).
/// <c>bidirectional</c> is the bug for next-token prediction: the backward half reads the future.
/// </summary>
public sealed class SequenceGru : Module<Tensor, Tensor>
{
    readonly Embedding _embedding;
    readonly GRU _gru;
    readonly Linear _output;

    public SequenceGru(long vocabulary, long hidden = 64, bool bidirectional = false) : base(nameof(SequenceGru))
    {
        _embedding = Embedding(vocabulary, 16);
        _gru = GRU(16, hidden, batchFirst: true, bidirectional: bidirectional);
        _output = Linear(bidirectional ? 2 * hidden : hidden, vocabulary);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var (states, _) = _gru.call(_embedding.call(tokens), null);
        return _output.call(states).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A one-layer decoder written by hand on one-hot input (B, T, V) float: learned positions, single-head
/// attention with a causal mask (unless <c>causalMask</c> is false: the bug), a residual MLP, logits per position.
/// </summary>
public sealed class OneHotAttention : Module<Tensor, Tensor>
{
    readonly Linear _embed, _query, _key, _value, _mlp, _output;
    readonly Parameter _position;
    readonly bool _causalMask;

    public OneHotAttention(long vocabulary, long maxLength, long dimension = 48, bool causalMask = true) : base(nameof(OneHotAttention))
    {
        _embed = Linear(vocabulary, dimension);
        _query = Linear(dimension, dimension);
        _key = Linear(dimension, dimension);
        _value = Linear(dimension, dimension);
        _mlp = Linear(dimension, dimension);
        _output = Linear(dimension, vocabulary);
        _position = Parameter(randn(maxLength, dimension).mul(0.02));
        _causalMask = causalMask;
        RegisterComponents();
    }

    public override Tensor forward(Tensor oneHot) // (B, T, V) float
    {
        using var scope = NewDisposeScope();
        long t = oneHot.shape[1], d = _position.shape[1];
        var h = _embed.call(oneHot).add(_position[..(int)t]);
        var scores = _query.call(h).matmul(_key.call(h).transpose(1, 2)).div(Math.Sqrt(d));  // (B, T, T)
        if (_causalMask)
        {
            using var future = ones(t, t, dtype: ScalarType.Bool).triu(1);
            scores = scores.masked_fill(future, double.NegativeInfinity);
        }
        h = h.add(functional.softmax(scores, -1).matmul(_value.call(h)));
        h = h.add(functional.relu(_mlp.call(h)));
        return _output.call(h).MoveToOuterDisposeScope();
    }
}

/// <summary>Per-position MLP over features the transform built for every position (B, T, F) → (B, T, V).</summary>
public sealed class PositionwiseMlp : Module<Tensor, Tensor>
{
    readonly Sequential _layers;

    public PositionwiseMlp(long features, long vocabulary, long hidden = 64) : base(nameof(PositionwiseMlp))
    {
        _layers = Sequential(Linear(features, hidden), ReLU(), Linear(hidden, vocabulary));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _layers.call(x);
}
