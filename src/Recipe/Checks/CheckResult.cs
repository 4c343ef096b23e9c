namespace Recipe.Checks;

/// <summary>A check's identity and hypothesis together with what its run found.</summary>
/// <param name="Elapsed">The check's own time, without <paramref name="SharedRunTime"/>.</param>
/// <param name="SharedRunTime">Time this check spent on shared runs it was the first to need (other checks reuse them).</param>
public sealed record CheckResult(
    string Id,
    int Stage,
    string Hypothesis,
    bool Blocking,
    Verdict Verdict,
    string Finding,
    Evidence Evidence,
    string? Advice,
    TimeSpan Elapsed,
    TimeSpan SharedRunTime = default)
{
    /// <summary>The process's CPU time on the check itself, without <see cref="SharedRunCpuTime"/> (steadier than <see cref="Elapsed"/> on a shared machine).</summary>
    public TimeSpan CpuTime { get; init; }
    /// <summary>The process's CPU time on the shared runs this check was the first to need.</summary>
    public TimeSpan SharedRunCpuTime { get; init; }

    /// <summary>A blocking check that failed, or could not run, stops the recipe: the stage is not proven.</summary>
    public bool Stops => Blocking && Verdict is Verdict.Fail or Verdict.Error;

    /// <summary>Sort key for a ranked list: stopping results first, then by verdict, then by id.</summary>
    public (int, int, string) Rank => (Stops ? 0 : 1, -Verdicts.Rank(Verdict), Id);
}
