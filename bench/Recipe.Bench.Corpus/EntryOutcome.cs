using Recipe.Checks;

namespace Recipe.Bench.Corpus;

/// <summary>
/// What the checks said about one corpus pipeline: every check's verdict and finding, whether the bug was
/// caught (any fail; "expected" when one of the declared checks failed), or whether a correct pipeline drew
/// a false alarm (any fail or error).
/// </summary>
public sealed record EntryOutcome(CorpusEntry Entry, IReadOnlyList<(string Id, Verdict Verdict, string Finding)> Checks, TimeSpan Elapsed, string? Crash = null)
{
    public IEnumerable<(string Id, Verdict Verdict, string Finding)> Failing => Checks.Where(c => c.Verdict == Verdict.Fail);
    public IEnumerable<(string Id, Verdict Verdict, string Finding)> Errors => Checks.Where(c => c.Verdict == Verdict.Error);

    /// <summary>A buggy pipeline with at least one failing check.</summary>
    public bool Caught => Entry.Buggy && Failing.Any();
    /// <summary>Caught by one of the checks the entry names.</summary>
    public bool CaughtAsExpected => Entry.Buggy && Failing.Any(c => Entry.ExpectedChecks.Contains(c.Id));
    /// <summary>A correct pipeline with any fail or error (or a pipeline the runner could not check at all).</summary>
    public bool FalseAlarm => !Entry.Buggy && (Crash is not null || Failing.Any() || Errors.Any());

    public Verdict? VerdictOf(string id) => Checks.Where(c => c.Id == id).Select(c => (Verdict?)c.Verdict).FirstOrDefault();
}
