using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Recipe.Bench;

/// <summary>
/// The least a TorchSharp training step can do on real data, written the most direct way: slice a
/// shuffled order, gather the batch, uint8 → float normalized, forward, loss, backward, step, all in
/// a dispose scope. No hooks, no logging, no loss read back. pytorch_steps.py mirrors it line by line.
/// The optimizer is Recipe's <see cref="FusedAdam"/>, as in `recipe run` and the trainer variant, so the
/// two Recipe variants differ only by the trainer loop; PyTorch keeps torch.optim.Adam (the same math).
/// </summary>
public sealed class BareLoopVariant(DataSplit train, InputNormalizer normalizer) : IStepVariant
{
    public string Label => "bare TorchSharp loop";

    public StepSpeed Run(BenchModel model, long seed)
    {
        torch.manual_seed(seed);
        using var net = model.Create();
        using var optimizer = new FusedAdam(net.parameters(), BenchModel.LearningRate); // what `recipe run` uses
        using var generator = new Generator((ulong)seed);
        using var order = randperm(train.Count, generator: generator);
        var (mean, std) = (normalizer.Mean!, normalizer.Std!);
        net.train();
        var start = CpuClock.Now();
        for (int step = 0; step < model.WarmupSteps + model.TimedSteps; step++)
        {
            if (step == model.WarmupSteps) start = CpuClock.Now();
            using var scope = NewDisposeScope();
            var index = order.narrow(0, step * BenchModel.BatchSize, BenchModel.BatchSize);
            var x = train.Inputs.index_select(0, index).to_type(float32).div_(255f).sub_(mean).div_(std); // (B, 1, 28, 28)
            var y = train.Targets.index_select(0, index);                                                 // (B)
            var loss = cross_entropy(net.call(x), y);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        return CpuClock.SpeedSince(start, model.TimedSteps);
    }

    public void Dispose() { }
}
