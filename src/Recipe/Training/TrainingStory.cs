namespace Recipe.Training;

/// <summary>
/// How a `recipe run` training ended, told from the loop's result and the hooks that decide its length:
/// why it stopped (validation stopped improving, a budget ran out, the epochs asked for were done), whether
/// validation was still improving at the end, and which weights were kept.
/// </summary>
public sealed record TrainingStory(TrainingResult Result, int BudgetSteps, StepBudget? StepBudget, EarlyStopping? EarlyStopping, WallClockBudget? WallClock)
{
    /// <summary>True for a model fitted to its optimum directly (a closed form or a convex solver), not by a budgeted loop.</summary>
    public bool Solved { get; init; }

    /// <summary>A stable name for the reason: solved, validation-stopped-improving, step-budget, wall-clock-budget or epochs-done.</summary>
    public string StopKind =>
        Solved ? "solved"
        : EarlyStopping is { StillImproving: false } ? "validation-stopped-improving"
        : WallClock is { Exhausted: true } ? "wall-clock-budget"
        : StepBudget is { Exhausted: true } || Result.StopReason.StartsWith("reached the step limit", StringComparison.Ordinal) ? "step-budget"
        : "epochs-done";

    /// <summary>True when a budget ended the run while validation was still improving (the model is under-trained).</summary>
    public bool EndedStillImproving => EarlyStopping is null ? StopKind != "validation-stopped-improving" && LastValidationWasBest : EarlyStopping.StillImproving;

    /// <summary>The loop's reason, and which weights were kept.</summary>
    public string StopReason => Result.StopReason + (LearningRateDrops?.Describe() ?? "") + (RestoredStep is { } step ? $"; kept the weights of step {step}, the best on validation" : "");

    /// <summary>The learning-rate drops made on validation plateaus (null when the run made none possible).</summary>
    public LearningRateDrops? LearningRateDrops { get; init; }

    public int? BestStep => EarlyStopping?.BestStep;
    public int? RestoredStep => EarlyStopping?.RestoredStep;
    public int BudgetExtensions => StepBudget?.Extensions ?? 0;
    /// <summary>Passes over the training data begun (the last may be partial).</summary>
    public int EpochsRun => Result.Epochs.Count(e => e.Epoch > 0);

    /// <summary>Without early stopping (fixed epochs): was the last validation point the lowest of the run?</summary>
    bool LastValidationWasBest =>
        Result.Validations.Count > 1 && Result.Validations[^1].Result.Loss <= Result.Validations.Min(v => v.Result.Loss);
}
