using Recipe.Checks;

namespace Recipe.Bench.Corpus;

/// <summary>Where a pipeline's bug is written (the part of the user's code a reviewer would have to read).</summary>
public enum BugSite { None, Model, Transform, Loss, Optimizer, Provider }

/// <summary>
/// One user pipeline of the corpus: what it is, whether it carries a bug, which checks ought to catch that bug,
/// and how to build it. <paramref name="FreshProcess"/> marks pipelines whose bug only shows across processes
/// (randomness drawn once per process): they run through `recipe check --pipeline` in a child process.
/// <paramref name="Twin"/> names the correct pipeline a buggy one was written from: a check that also fails on
/// the twin does not tell the bug apart, so it does not count as catching it.
/// </summary>
public sealed record CorpusEntry(
    string Name,
    string? Twin,
    string DataKind,
    string Architecture,
    BugSite Site,
    string Bug,
    IReadOnlyList<string> ExpectedChecks,
    Func<Pipeline> Build,
    bool FreshProcess = false)
{
    public bool Buggy => Site != BugSite.None;

    /// <summary>A correct pipeline: no bug, nothing expected to fail.</summary>
    public static CorpusEntry Correct(string name, string dataKind, string architecture, Func<Pipeline> build) =>
        new(name, null, dataKind, architecture, BugSite.None, "", [], build);

    /// <summary>A pipeline with one silent bug and the checks whose hypothesis it breaks.</summary>
    public static CorpusEntry WithBug(string name, string twin, string dataKind, string architecture, BugSite site, string bug, string[] expected, Func<Pipeline> build, bool freshProcess = false) =>
        new(name, twin, dataKind, architecture, site, bug, expected, build, freshProcess);
}
