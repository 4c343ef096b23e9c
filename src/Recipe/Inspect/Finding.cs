namespace Recipe.Inspect;

/// <summary>
/// Something about the data a person should look at. Findings are not errors: `recipe inspect` reports
/// them and exits 0.
/// </summary>
/// <param name="Kind">One of <see cref="FindingKind"/>.</param>
/// <param name="Split">The split involved ("train"), several joined by '+' ("train+test"), or "all".</param>
/// <param name="Message">One sentence for the terminal and the report.</param>
/// <param name="Examples">The examples involved (all of them, unless <paramref name="Count"/> says there are more).</param>
/// <param name="Count">How many examples are involved in total.</param>
/// <param name="Statistics">The numbers behind the finding (distances, ratios, counts), snake_case keys.</param>
public sealed record Finding(
    string Kind,
    string Split,
    string Message,
    IReadOnlyList<ExampleRef> Examples,
    int Count,
    IReadOnlyDictionary<string, double> Statistics)
{
    /// <summary>A finding with every example listed.</summary>
    public Finding(string kind, string split, string message, IReadOnlyList<ExampleRef> examples, IReadOnlyDictionary<string, double>? statistics = null)
        : this(kind, split, message, examples, examples.Count, statistics ?? new Dictionary<string, double>()) { }

    /// <summary>The statistic, column or character the finding is about, when there is one.</summary>
    public string? Subject { get; init; }

    /// <summary>Split-local indices of the examples in <paramref name="split"/>.</summary>
    public IEnumerable<int> IndicesIn(string split) => Examples.Where(e => e.Split == split).Select(e => e.Index);

    /// <summary>How much it matters (see <see cref="FindingImportance"/>); findings are ranked by it.</summary>
    public double Importance => FindingImportance.Of(this);

    /// <summary>Most important first: severity × examples × extremeness, ties by kind.</summary>
    public static IReadOnlyList<Finding> Ranked(IEnumerable<Finding> findings) =>
        findings.OrderByDescending(f => f.Importance).ThenBy(f => FindingKind.Rank(f.Kind)).ThenByDescending(f => f.Count).ToList();
}
