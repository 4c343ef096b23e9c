namespace Recipe.Training;

/// <summary>
/// A soft limit on optimizer steps, checked at validation points: when the budget is used up, training stops,
/// unless <paramref name="extend"/> (given the step the last budget began at) says the run should go on, in which
/// case the budget doubles, up to <paramref name="ceiling"/> steps (the hard cap). <paramref name="explain"/> says in
/// words what the last decision rested on, for the stop reason.
/// </summary>
public sealed class StepBudget(int steps, int ceiling, Func<int, bool> extend, Func<string>? explain = null) : ITrainingHook
{
    public StepBudget(int steps, int ceiling, Func<bool> extend) : this(steps, ceiling, _ => extend()) { }

    /// <summary>The budget now (grows when extended).</summary>
    public int Steps { get; private set; } = Math.Min(steps, ceiling);
    /// <summary>The budget before any extension.</summary>
    public int InitialSteps { get; } = Math.Min(steps, ceiling);
    public int Extensions { get; private set; }
    /// <summary>True when this hook ended the run.</summary>
    public bool Exhausted { get; private set; }

    int _windowStart = Math.Min(steps, ceiling) / 2; // the first budget is judged on its second half

    public StopRequest? OnValidation(TrainingContext context, ValidationPoint validation)
    {
        if (validation.Step < Steps) return null;
        bool atCap = Steps >= ceiling;
        if (!atCap && extend(_windowStart))
        {
            _windowStart = Steps;
            Steps = (int)Math.Min(2L * Steps, ceiling);
            Extensions++;
            return null;
        }
        Exhausted = true;
        string why = explain is null ? "" : $"; {explain()}";
        return new StopRequest($"used the step budget ({Steps} steps{(Extensions > 0 ? $", extended {Extensions}× from {InitialSteps}" : "")}" +
                               $"{(atCap ? ", the hard cap" : "")}) with validation still improving{why}");
    }
}
