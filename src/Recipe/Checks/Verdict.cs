namespace Recipe.Checks;

/// <summary>What a check concluded.</summary>
public enum Verdict
{
    /// <summary>The hypothesis held.</summary>
    Pass,
    /// <summary>It held, but something deserves a look.</summary>
    Warn,
    /// <summary>It did not hold: the evidence points at a bug.</summary>
    Fail,
    /// <summary>The check could not run (it threw); the reason is in the finding.</summary>
    Error,
    /// <summary>The check does not apply to this pipeline (e.g. no augmentation to test).</summary>
    Skipped,
}

/// <summary>Names and orderings of verdicts.</summary>
public static class Verdicts
{
    /// <summary>"pass", "warn", "fail", "error", "skipped": the words reports and summary.json use.</summary>
    public static string Name(this Verdict verdict) => verdict.ToString().ToLowerInvariant();

    /// <summary>The worse of two condition verdicts (fail &gt; warn &gt; pass).</summary>
    public static Verdict Worse(Verdict a, Verdict b) => Rank(a) >= Rank(b) ? a : b;

    /// <summary>How much a verdict needs attention: error 4, fail 3, warn 2, skipped 1, pass 0.</summary>
    public static int Rank(Verdict verdict) => verdict switch
    {
        Verdict.Error => 4,
        Verdict.Fail => 3,
        Verdict.Warn => 2,
        Verdict.Skipped => 1,
        _ => 0,
    };
}
