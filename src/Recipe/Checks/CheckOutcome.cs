namespace Recipe.Checks;

/// <summary>What one run of a check found: the verdict, one sentence with the key numbers, the evidence and, when it did not pass, advice.</summary>
public sealed record CheckOutcome(Verdict Verdict, string Finding, Evidence Evidence, string? Advice = null)
{
    /// <summary>The verdict is the worst of the evidence's conditions; the advice is kept only when it did not pass.</summary>
    public static CheckOutcome FromConditions(Evidence evidence, string finding, string advice) =>
        new(evidence.Verdict, finding, evidence, evidence.Verdict == Verdict.Pass ? null : advice);

    /// <summary>The check does not apply; the reason says why.</summary>
    public static CheckOutcome Skipped(string reason) => new(Verdict.Skipped, reason, new Evidence());
}
