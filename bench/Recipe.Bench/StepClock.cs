using Recipe.Training;

namespace Recipe.Bench;

/// <summary>
/// The stopwatch inside the trainer: a hook that reads the clocks when the warm-up's last step ends
/// and when the last timed step ends. Two clock reads per run, nothing else.
/// </summary>
public sealed class StepClock(int warmupSteps, int timedSteps) : ITrainingHook
{
    CpuClock? _start;
    StepSpeed? _speed;

    public StepSpeed Speed => _speed ?? throw new InvalidOperationException("the trainer stopped before the timed steps ended");

    public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
    {
        if (step.Step == warmupSteps) _start = CpuClock.Now();
        else if (step.Step == warmupSteps + timedSteps && _start is { } start) _speed = CpuClock.SpeedSince(start, timedSteps);
        return null;
    }
}
