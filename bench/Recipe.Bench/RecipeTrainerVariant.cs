using Recipe.Data;
using Recipe.Progress;
using Recipe.Training;
using TorchSharp;

namespace Recipe.Bench;

/// <summary>
/// Recipe's <see cref="Trainer"/> with the hooks `recipe run` always attaches (today: progress, into a
/// sink that draws nothing, so terminal drawing is not counted here; the e2e benchmark counts it).
/// <paramref name="delayMicroseconds"/> &gt; 0 adds a hook that burns that much CPU per step: fault
/// injection that proves the overhead benchmark can see a slower trainer (never set in a measurement).
/// </summary>
public sealed class RecipeTrainerVariant(Dataset data, InputNormalizer normalizer, bool keepFreedNativeMemory, int delayMicroseconds = 0) : IStepVariant
{
    public string Label => "Recipe Trainer";

    public StepSpeed Run(BenchModel model, long seed) => Run(model, seed, observer: null, evaluateValidation: true);

    /// <summary>
    /// As <see cref="Run(BenchModel, long)"/>, with one more hook after all the others (the overhead
    /// benchmark's lockstep), and the whole-split validation before and after the steps optional (it
    /// is never inside the timed steps; skipping it only saves the benchmark's time).
    /// </summary>
    public StepSpeed Run(BenchModel model, long seed, ITrainingHook? observer, bool evaluateValidation)
    {
        torch.manual_seed(seed);
        using var net = model.Create();
        using var optimizer = new FusedAdam(net.parameters(), BenchModel.LearningRate); // what `recipe run` uses
        var config = new TrainingConfig
        {
            Epochs = 1, BatchSize = BenchModel.BatchSize, LearningRate = BenchModel.LearningRate, Seed = seed,
            MaxSteps = model.WarmupSteps + model.TimedSteps, KeepFreedNativeMemory = keepFreedNativeMemory,
            EvaluateValidation = evaluateValidation,
        };
        var clock = new StepClock(model.WarmupSteps, model.TimedSteps);
        var hooks = new List<ITrainingHook> { new ProgressHook(NullProgress.Instance, "bench") };
        if (delayMicroseconds > 0) hooks.Add(new BusyHook(delayMicroseconds));
        hooks.Add(clock);
        if (observer is not null) hooks.Add(observer);
        new Trainer(hooks)
            .Fit(new TrainingContext(net, data, normalizer, optimizer, config));
        return clock.Speed;
    }

    public void Dispose() { }
}

/// <summary>A hook that spins for a fixed time at every step end: a known, injected trainer overhead.</summary>
sealed class BusyHook(int microseconds) : ITrainingHook
{
    public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + microseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until) { }
        return null;
    }
}
