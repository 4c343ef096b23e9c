using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Bench.Corpus.Models;

/// <summary>The flattened-image MLP of the standard tutorials: flatten, Linear-ReLU twice, logits (or, the bug, probabilities).</summary>
public sealed class TutorialMlp : Module<Tensor, Tensor>
{
    readonly Sequential _layers;
    readonly bool _softmaxAtTheEnd;

    public TutorialMlp(long pixels, long classes, long hidden = 128, bool softmaxAtTheEnd = false) : base(nameof(TutorialMlp))
    {
        _layers = Sequential(Flatten(), Linear(pixels, hidden), ReLU(), Linear(hidden, 64), ReLU(), Linear(64, classes));
        _softmaxAtTheEnd = softmaxAtTheEnd;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        _softmaxAtTheEnd ? functional.softmax(_layers.call(x), 1) : _layers.call(x);
}

/// <summary>
/// A small CNN with batch norm: (conv-BN-ReLU-pool) twice, then a linear head. With <c>dropoutFlagInverted</c>
/// the head's functional dropout is written with <c>training: !training</c>: off while training, on at evaluation.
/// </summary>
public sealed class BatchNormCnn : Module<Tensor, Tensor>
{
    readonly Conv2d _conv1, _conv2;
    readonly BatchNorm2d _norm1, _norm2;
    readonly Linear _head;
    readonly bool _dropoutFlagInverted;

    public BatchNormCnn(long channels, long side, long outputs, int width = 8, bool dropoutFlagInverted = false) : base(nameof(BatchNormCnn))
    {
        _conv1 = Conv2d(channels, width, 3, padding: 1);
        _norm1 = BatchNorm2d(width);
        _conv2 = Conv2d(width, 2 * width, 3, padding: 1);
        _norm2 = BatchNorm2d(2 * width);
        _head = Linear(2 * width * (side / 4) * (side / 4), outputs);
        _dropoutFlagInverted = dropoutFlagInverted;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.max_pool2d(functional.relu(_norm1.call(_conv1.call(x))), 2);
        h = functional.max_pool2d(functional.relu(_norm2.call(_conv2.call(h))), 2).flatten(1);
        if (_dropoutFlagInverted) h = functional.dropout(h, 0.3, training: !training);
        return _head.call(h).MoveToOuterDisposeScope();
    }
}

/// <summary>Plain conv-ReLU-pool CNN without normalization layers (the style of a first Keras/PyTorch tutorial).</summary>
public sealed class PlainCnn : Module<Tensor, Tensor>
{
    readonly Sequential _features;
    readonly Linear _head;
    readonly bool _reluOnOutput;

    public PlainCnn(long channels, long side, long outputs, int width = 8, bool reluOnOutput = false) : base(nameof(PlainCnn))
    {
        _features = Sequential(Conv2d(channels, width, 3, padding: 1), ReLU(), MaxPool2d(2),
            Conv2d(width, 2 * width, 3, padding: 1), ReLU(), MaxPool2d(2), Flatten());
        _head = Linear(2 * width * (side / 4) * (side / 4), outputs);
        _reluOnOutput = reluOnOutput;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var output = _head.call(_features.call(x));
        return _reluOnOutput ? functional.relu(output) : output;
    }
}

/// <summary>
/// A vision-transformer sketch: 4×4 patches become tokens, one hand-written self-attention layer, mean over
/// tokens, then class probabilities (softmax at the end; the loss takes their log). Attention wants the tokens
/// sequence-first (T, B, D); <c>viewInsteadOfPermute</c> gets there with view, which mixes examples.
/// </summary>
public sealed class PatchAttention : Module<Tensor, Tensor>
{
    readonly Linear _embed, _query, _key, _value, _head;
    readonly Parameter _position;
    readonly long _patch;
    readonly bool _viewInsteadOfPermute;

    public PatchAttention(long side, long classes, long patch = 4, long dimension = 32, bool viewInsteadOfPermute = false) : base(nameof(PatchAttention))
    {
        _patch = patch;
        long tokens = (side / patch) * (side / patch);
        _embed = Linear(patch * patch, dimension);
        _query = Linear(dimension, dimension);
        _key = Linear(dimension, dimension);
        _value = Linear(dimension, dimension);
        _head = Linear(dimension, classes);
        _position = Parameter(randn(tokens, 1, dimension).mul(0.02));
        _viewInsteadOfPermute = viewInsteadOfPermute;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // (B, 1, S, S) -> (B, classes) probabilities
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], side = x.shape[2], grid = side / _patch;
        var patches = x.reshape(b, grid, _patch, grid, _patch).permute(0, 1, 3, 2, 4).reshape(b, grid * grid, _patch * _patch);
        var tokens = _embed.call(patches);                                                     // (B, T, D)
        long t = tokens.shape[1], d = tokens.shape[2];
        var sequenceFirst = _viewInsteadOfPermute ? tokens.view(t, b, d) : tokens.permute(1, 0, 2); // (T, B, D)
        var h = sequenceFirst + _position;
        var q = _query.call(h).permute(1, 0, 2);
        var k = _key.call(h).permute(1, 0, 2);
        var v = _value.call(h).permute(1, 0, 2);                                              // (B, T, D)
        var attention = functional.softmax(q.matmul(k.transpose(1, 2)).div(Math.Sqrt(d)), -1);
        var mixed = attention.matmul(v).add(h.permute(1, 0, 2)).mean([1]);                    // residual, then mean over tokens
        return functional.softmax(_head.call(mixed), 1).MoveToOuterDisposeScope();
    }
}
