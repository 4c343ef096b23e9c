namespace Recipe.Checks;

/// <summary>
/// A check: an experiment with a stated hypothesis that returns a verdict with evidence. Thresholds live
/// in named <see cref="Condition"/>s on the check, not in its logic. A check may throw; the suite turns
/// that into an <see cref="Verdict.Error"/> result.
/// </summary>
public interface ICheck
{
    /// <summary>Stable kebab-case name, e.g. "overfit-one-batch".</summary>
    string Id { get; }
    /// <summary>The recipe stage it belongs to (1–6).</summary>
    int Stage { get; }
    /// <summary>One sentence a person can read: what should be true of a correct pipeline.</summary>
    string Hypothesis { get; }
    /// <summary>A failure stops the recipe before the next stage.</summary>
    bool Blocking { get; }
    /// <summary>The named thresholds the check applies.</summary>
    IReadOnlyList<Condition> Conditions { get; }

    CheckOutcome Run(CheckContext context);
}
