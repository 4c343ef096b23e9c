using System.Diagnostics;
using Recipe.Training;

namespace Recipe.Bench;

/// <summary>
/// The stopwatch inside the trainer: a hook that notes the time when the warm-up's last step ends and
/// when the last timed step ends. It reads the clock twice per run, nothing else.
/// </summary>
public sealed class StepClock(int warmupSteps, int timedSteps) : ITrainingHook
{
    long _start, _end;

    public double StepsPerSecond => _end > _start
        ? timedSteps / Stopwatch.GetElapsedTime(_start, _end).TotalSeconds
        : throw new InvalidOperationException("the trainer stopped before the timed steps ended");

    public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
    {
        if (step.Step == warmupSteps) _start = Stopwatch.GetTimestamp();
        else if (step.Step == warmupSteps + timedSteps) _end = Stopwatch.GetTimestamp();
        return null;
    }
}
