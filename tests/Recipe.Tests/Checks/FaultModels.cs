using Recipe.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Tests.Checks;

/// <summary>
/// Reads an image row by row as a sequence: rows go sequence-first (H, B, W) for a running sum over
/// rows, as an RNN would want them. Correct code permutes (B, H, W) to (H, B, W); the bug views it
/// instead, which reinterprets memory and mixes rows of different examples. Both train.
/// </summary>
public sealed class RowScanner : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Linear _row;
    readonly Linear _output;
    readonly bool _viewInsteadOfPermute;

    public RowScanner(long width, long outputs, bool viewInsteadOfPermute) : base(nameof(RowScanner))
    {
        _row = Linear(width, 32);
        _output = Linear(32, outputs);
        _viewInsteadOfPermute = viewInsteadOfPermute;
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor x) // (B, 1, H, W) -> (B, outputs)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        var rows = x.reshape(b, h, w);                                                    // (B, H, W)
        var sequenceFirst = _viewInsteadOfPermute ? rows.view(h, b, w) : rows.permute(1, 0, 2); // (H, B, W)
        var summary = functional.tanh(_row.call(sequenceFirst)).cumsum(0)[-1];           // (B, 32): the scan's last state
        return _output.call(summary).MoveToOuterDisposeScope();
    }
}

/// <summary>An MLP with dropout: through a module that follows eval(), or (the bug) functional dropout forced on.</summary>
public sealed class DropoutMlp : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Linear _hidden;
    readonly Dropout _dropout;
    readonly Linear _output;
    readonly bool _alwaysOn;

    public DropoutMlp(long inputs, long outputs, bool alwaysOn) : base(nameof(DropoutMlp))
    {
        _hidden = Linear(inputs, 32);
        _dropout = Dropout(0.5);
        _output = Linear(32, outputs);
        _alwaysOn = alwaysOn;
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(_hidden.call(x.flatten(1)));
        h = _alwaysOn ? functional.dropout(h, 0.5, training: true) : _dropout.call(h);
        return _output.call(h).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The causal char-conv with the bug of padding both sides ("same" padding): the output at t then sees
/// the inputs at t + 1 and beyond, i.e. the targets it must predict.
/// </summary>
public sealed class LookAheadCharConv : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Embedding _embedding;
    readonly Conv1d _conv;
    readonly Linear _output;

    public LookAheadCharConv(long vocabulary, int hidden = 32) : base(nameof(LookAheadCharConv))
    {
        _embedding = Embedding(vocabulary, 16);
        _conv = Conv1d(16, hidden, 3, padding: 1); // symmetric: looks one step ahead
        _output = Linear(hidden, vocabulary);
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = _embedding.call(tokens).transpose(1, 2);
        var h = functional.relu(_conv.call(x)).transpose(1, 2);
        return _output.call(h).MoveToOuterDisposeScope();
    }
}
