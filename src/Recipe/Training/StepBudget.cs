namespace Recipe.Training;

/// <summary>
/// A soft limit on optimizer steps, checked at validation points: when the budget is used up, training stops,
/// unless <paramref name="extend"/> says the run should go on (validation still improving and the model not yet
/// beating its baselines), in which case the budget doubles, up to <paramref name="ceiling"/> steps.
/// </summary>
public sealed class StepBudget(int steps, int ceiling, Func<bool> extend) : ITrainingHook
{
    /// <summary>The budget now (grows when extended).</summary>
    public int Steps { get; private set; } = Math.Min(steps, ceiling);
    /// <summary>The budget before any extension.</summary>
    public int InitialSteps { get; } = Math.Min(steps, ceiling);
    public int Extensions { get; private set; }
    /// <summary>True when this hook ended the run.</summary>
    public bool Exhausted { get; private set; }

    public StopRequest? OnValidation(TrainingContext context, ValidationPoint validation)
    {
        if (validation.Step < Steps) return null;
        if (Steps < ceiling && extend())
        {
            Steps = (int)Math.Min(2L * Steps, ceiling);
            Extensions++;
            return null;
        }
        Exhausted = true;
        return new StopRequest($"used the step budget ({Steps} steps{(Extensions > 0 ? $", extended {Extensions}× from {InitialSteps}" : "")}) " +
                               "with validation still improving");
    }
}
