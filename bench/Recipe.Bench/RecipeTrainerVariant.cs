using Recipe.Data;
using Recipe.Progress;
using Recipe.Training;
using TorchSharp;

namespace Recipe.Bench;

/// <summary>
/// Recipe's <see cref="Trainer"/> with the hooks `recipe run` always attaches (today: progress, into a
/// sink that draws nothing, so terminal drawing is not counted here; the e2e benchmark counts it).
/// </summary>
public sealed class RecipeTrainerVariant(Dataset data, InputNormalizer normalizer, bool keepFreedNativeMemory) : IStepVariant
{
    public string Label => "Recipe Trainer";

    public StepSpeed Run(BenchModel model, long seed)
    {
        torch.manual_seed(seed);
        using var net = model.Create();
        using var optimizer = new FusedAdam(net.parameters(), BenchModel.LearningRate); // what `recipe run` uses
        var config = new TrainingConfig
        {
            Epochs = 1, BatchSize = BenchModel.BatchSize, LearningRate = BenchModel.LearningRate, Seed = seed,
            MaxSteps = model.WarmupSteps + model.TimedSteps, KeepFreedNativeMemory = keepFreedNativeMemory,
        };
        var clock = new StepClock(model.WarmupSteps, model.TimedSteps);
        new Trainer([new ProgressHook(NullProgress.Instance, "bench"), clock])
            .Fit(new TrainingContext(net, data, normalizer, optimizer, config));
        return clock.Speed;
    }

    public void Dispose() { }
}
