using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Bench.Corpus.Models;

/// <summary>A tabular MLP with batch norm after each hidden layer and optional dropout.</summary>
public sealed class TabularMlp : Module<Tensor, Tensor>
{
    readonly ModuleList<Module<Tensor, Tensor>> _layers = new();
    readonly Linear _output;

    public TabularMlp(long inputs, long outputs, long[] hidden, double dropout = 0, bool batchNorm = true) : base(nameof(TabularMlp))
    {
        long previous = inputs;
        foreach (var width in hidden)
        {
            _layers.Add(Linear(previous, width));
            if (batchNorm) _layers.Add(BatchNorm1d(width));
            _layers.Add(ReLU());
            if (dropout > 0) _layers.Add(Dropout(dropout));
            previous = width;
        }
        _output = Linear(previous, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        foreach (var layer in _layers) x = layer.call(x);
        return _output.call(x).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The same shape of MLP, written with its batch-norm layers kept in a plain <c>List</c>: TorchSharp does not
/// register them, so model.eval() never reaches them and they normalize with batch statistics at evaluation too.
/// </summary>
public sealed class ListHeldBatchNormMlp : Module<Tensor, Tensor>
{
    readonly Linear _first, _second, _output;
    readonly List<BatchNorm1d> _norms;

    public ListHeldBatchNormMlp(long inputs, long outputs, long hidden = 32) : base(nameof(ListHeldBatchNormMlp))
    {
        _first = Linear(inputs, hidden);
        _second = Linear(hidden, hidden);
        _output = Linear(hidden, outputs);
        _norms = [BatchNorm1d(hidden), BatchNorm1d(hidden)];
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(_norms[0].call(_first.call(x)));
        h = functional.relu(_norms[1].call(_second.call(h)));
        return _output.call(h).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// An MLP that "standardizes its input itself" with the statistics of the batch in front of it: every
/// example's output then depends on the other examples of the batch.
/// </summary>
public sealed class SelfStandardizingMlp : Module<Tensor, Tensor>
{
    readonly Sequential _layers;

    public SelfStandardizingMlp(long inputs, long outputs, long hidden = 64) : base(nameof(SelfStandardizingMlp))
    {
        _layers = Sequential(Linear(inputs, hidden), ReLU(), Linear(hidden, outputs));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var standardized = x.sub(x.mean([0], keepdim: true)).div(x.std(0, keepdim: true).add(1e-5));
        return _layers.call(standardized).MoveToOuterDisposeScope();
    }
}
