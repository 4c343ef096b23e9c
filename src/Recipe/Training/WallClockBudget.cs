using System.Diagnostics;

namespace Recipe.Training;

/// <summary>Stops training once it has run for <paramref name="allowed"/> (the part of `--budget` left for training).</summary>
public sealed class WallClockBudget(TimeSpan allowed, string description) : ITrainingHook
{
    readonly Stopwatch _clock = new();

    /// <summary>True when this hook ended the run.</summary>
    public bool Exhausted { get; private set; }

    public void OnTrainingStart(TrainingContext context) => _clock.Restart();

    public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
    {
        if (_clock.Elapsed < allowed) return null;
        Exhausted = true;
        return new StopRequest($"used the wall-clock budget ({description}) at step {step.Step}");
    }
}
