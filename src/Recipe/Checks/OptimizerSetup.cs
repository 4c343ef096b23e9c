using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Recipe.Checks;

/// <summary>How long the pipeline means to train: what a learning-rate schedule must be planned against.</summary>
public sealed record TrainingPlan(int StepsPerEpoch, int Epochs, int TotalSteps);

/// <summary>Makes the optimizer (and its schedule) for a fresh model's parameters and the training plan.</summary>
public delegate OptimizerSetup OptimizerFactory(IEnumerable<Parameter> parameters, TrainingPlan plan);

/// <summary>
/// An optimizer and an optional learning-rate schedule. The schedule is stepped once after every optimizer
/// step (see <see cref="Training.LearningRateScheduleHook"/>), so a schedule written in epochs must be
/// converted to steps.
/// </summary>
public sealed class OptimizerSetup(torch.optim.Optimizer optimizer, LRScheduler? schedule = null) : IDisposable
{
    public torch.optim.Optimizer Optimizer { get; } = optimizer;
    public LRScheduler? Schedule { get; } = schedule;

    /// <summary>The learning rate of the first parameter group now.</summary>
    public double LearningRate => Optimizer.ParamGroups.First().LearningRate;

    public void Dispose() => Optimizer.Dispose();
}
