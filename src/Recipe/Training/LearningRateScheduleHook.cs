using static TorchSharp.torch.optim.lr_scheduler;

namespace Recipe.Training;

/// <summary>
/// Steps a learning-rate schedule once per training step (not per epoch): a schedule's "step" is an
/// optimizer step here, which is what <c>recipe</c>'s lr-schedule check simulates.
/// </summary>
public sealed class LearningRateScheduleHook(LRScheduler schedule) : ITrainingHook
{
    public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
    {
        schedule.step();
        return null;
    }
}
