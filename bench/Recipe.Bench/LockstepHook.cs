using Recipe.Training;

namespace Recipe.Bench;

/// <summary>
/// Runs the bare loop in lockstep with the trainer: at the end of each trainer step (after every
/// other hook) it takes one bare-loop step on its own model, and books the thread CPU time of each
/// side. The trainer's segment runs from the end of one bare step to the start of the next: its
/// whole step, loader, loss read-back, hooks and dispose scope. The bare segment is one bare step.
/// Alternating step by step, both sides meet the same machine: whatever slows one (a neighbour on
/// the sibling core, a frequency change) slows the other within milliseconds.
/// </summary>
public sealed class LockstepHook(BareStepper bare, int warmupSteps) : ITrainingHook
{
    double _bareEnded = double.NaN;

    /// <summary>Thread CPU seconds of each timed trainer step.</summary>
    public List<double> TrainerSteps { get; } = [];
    /// <summary>Thread CPU seconds of each timed bare step.</summary>
    public List<double> BareSteps { get; } = [];

    public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
    {
        double trainerEnded = CpuClock.ThreadCpuSecondsNow();
        bool timed = step.Step > warmupSteps;
        if (timed) TrainerSteps.Add(trainerEnded - _bareEnded);
        bare.Step(step.Step - 1);
        _bareEnded = CpuClock.ThreadCpuSecondsNow();
        if (timed) BareSteps.Add(_bareEnded - trainerEnded);
        return null;
    }
}
