using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Recipe.Bench;

/// <summary>
/// The bare loop's state and its step, one step per call: a fresh seeded model and Adam, a seeded
/// shuffled order, and the least a TorchSharp step can do (slice the order, gather the batch,
/// uint8 → float normalized, forward, loss, backward, step, all in a dispose scope). The bare loop
/// variant calls it in a plain for loop; the overhead benchmark calls it between the trainer's steps.
/// </summary>
public sealed class BareStepper : IDisposable
{
    readonly DataSplit _train;
    readonly Tensor _mean, _std;
    readonly nn.Module<Tensor, Tensor> _net;
    readonly FusedAdam _optimizer;
    readonly Generator _generator;
    readonly Tensor _order;

    public BareStepper(BenchModel model, long seed, DataSplit train, InputNormalizer normalizer)
    {
        torch.manual_seed(seed);
        _train = train;
        (_mean, _std) = (normalizer.Mean!, normalizer.Std!);
        _net = model.Create();
        _optimizer = new FusedAdam(_net.parameters(), BenchModel.LearningRate); // what `recipe run` uses
        _generator = new Generator((ulong)seed);
        _order = randperm(train.Count, generator: _generator);
        _net.train();
    }

    /// <summary>Training step <paramref name="step"/> (from 0) of the first epoch.</summary>
    public void Step(int step)
    {
        using var scope = NewDisposeScope();
        var index = _order.narrow(0, step * BenchModel.BatchSize, BenchModel.BatchSize);
        var x = _train.Inputs.index_select(0, index).to_type(float32).div_(255f).sub_(_mean).div_(_std); // (B, 1, 28, 28)
        var y = _train.Targets.index_select(0, index);                                                 // (B)
        var loss = cross_entropy(_net.call(x), y);
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
    }

    public void Dispose()
    {
        _order.Dispose();
        _generator.Dispose();
        _optimizer.Dispose();
        _net.Dispose();
    }
}
