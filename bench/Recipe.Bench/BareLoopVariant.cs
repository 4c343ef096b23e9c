using Recipe.Data;

namespace Recipe.Bench;

/// <summary>
/// The least a TorchSharp training loop can do on real data, written the most direct way: a for loop
/// over <see cref="BareStepper"/>'s step (slice a shuffled order, gather the batch, uint8 → float
/// normalized, forward, loss, backward, step, all in a dispose scope). No hooks, no logging, no loss read back. pytorch_steps.py mirrors it line by line.
/// The optimizer is Recipe's <see cref="FusedAdam"/>, as in `recipe run` and the trainer variant, so the
/// two Recipe variants differ only by the trainer loop; PyTorch keeps torch.optim.Adam (the same math).
/// </summary>
public sealed class BareLoopVariant(DataSplit train, InputNormalizer normalizer) : IStepVariant
{
    public string Label => "bare TorchSharp loop";

    public StepSpeed Run(BenchModel model, long seed)
    {
        using var stepper = new BareStepper(model, seed, train, normalizer);
        var start = CpuClock.Now();
        for (int step = 0; step < model.WarmupSteps + model.TimedSteps; step++)
        {
            if (step == model.WarmupSteps) start = CpuClock.Now();
            stepper.Step(step);
        }
        return CpuClock.SpeedSince(start, model.TimedSteps);
    }

    public void Dispose() { }
}
