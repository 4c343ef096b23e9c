using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Bench.Corpus.Models;

/// <summary>Conv1d front end, then a GRU over the pooled time steps, classifier on the last state: (B, 1, L) → (B, outputs).</summary>
public sealed class ConvGru : Module<Tensor, Tensor>
{
    readonly Conv1d _conv;
    readonly GRU _gru;
    readonly Linear _output;

    public ConvGru(long outputs, long channels = 16, long hidden = 32) : base(nameof(ConvGru))
    {
        _conv = Conv1d(1, channels, 5, padding: 2);
        _gru = GRU(channels, hidden, batchFirst: true);
        _output = Linear(hidden, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.max_pool1d(functional.relu(_conv.call(x)), 4).transpose(1, 2); // (B, L/4, C)
        var (_, last) = _gru.call(h, null);
        return _output.call(last[0]).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Two conv1d-BN-ReLU blocks, global average pooling, a linear head. With <c>batchStatisticsAlways</c> the
/// normalization is written with functional batch_norm and training: true: batch statistics at evaluation too.
/// </summary>
public sealed class BatchNormConv1d : Module<Tensor, Tensor>
{
    readonly Conv1d _conv1, _conv2;
    readonly BatchNorm1d _norm1, _norm2;
    readonly Linear _output;
    readonly bool _batchStatisticsAlways;

    public BatchNormConv1d(long outputs, long channels = 16, bool batchStatisticsAlways = false) : base(nameof(BatchNormConv1d))
    {
        _conv1 = Conv1d(1, channels, 7, padding: 3);
        _norm1 = BatchNorm1d(channels);
        _conv2 = Conv1d(channels, channels, 5, padding: 2, stride: 2);
        _norm2 = BatchNorm1d(channels);
        _output = Linear(channels, outputs);
        _batchStatisticsAlways = batchStatisticsAlways;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(Normalize(_norm1, _conv1.call(x)));
        h = functional.relu(Normalize(_norm2, _conv2.call(h)));
        return _output.call(h.mean([2])).MoveToOuterDisposeScope();
    }

    Tensor Normalize(BatchNorm1d norm, Tensor h) => _batchStatisticsAlways
        ? functional.batch_norm(h, norm.running_mean!, norm.running_var!, norm.weight, norm.bias, training: true)
        : norm.call(h);
}
