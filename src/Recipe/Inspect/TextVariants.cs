namespace Recipe.Inspect;

/// <summary>
/// Lines equal up to case and surrounding space ("SAT", "Sat", "sat"), and whether this data uses case
/// to tell lines apart. In a dictionary, a list of names or codes, "Sat" and "sat" are different entries;
/// in sentences, a line copied with its case changed is the same content.
/// </summary>
/// <remarks>
/// The rule, measured on the data itself:
/// <list type="bullet">
/// <item>Long lines (at least <see cref="SimilarText.MinLength"/> characters once normalized, i.e. a sentence
/// or more) that differ only in case or surrounding space are always reported: case almost never
/// distinguishes the content of a whole sentence.</item>
/// <item>Short lines are judged against a control, the exact copies in the same file. An accident that
/// copies lines (a merge, a scrape run twice) leaves exact copies at least as often as copies that differ
/// only in case or space. So if short variants are accidental copies, each group of copies is a variant
/// with probability at most 1/2. When the variants outnumber the exact copies so far that a fair coin
/// would give so many less than once in a thousand (one-sided binomial test), the variants are not
/// copies but entries that case tells apart (the data kept "Sat" and "sat" while holding no exact
/// copies): they are counted and shown as examples, not reported as duplicates or leakage.</item>
/// </list>
/// </remarks>
public sealed record TextVariants(
    IReadOnlyList<int[]> Reported,
    IReadOnlyList<int[]> Meaningful,
    int ExactGroups,
    int ShortGroups,
    double ChanceProbability)
{
    /// <summary>Significance of the test: below this, case and space variants of short lines count as distinct entries.</summary>
    public const double Significance = 1e-3;

    /// <summary>True when the test decided that case (or surrounding space) tells short lines apart in this data.</summary>
    public bool CaseCarriesMeaning => ChanceProbability < Significance;

    /// <param name="texts">Every example's text.</param>
    /// <param name="exactGroups">How many groups of exact copies the data holds (the control).</param>
    public static TextVariants Find(IReadOnlyList<string> texts, int exactGroups)
    {
        var groups = Enumerable.Range(0, texts.Count).GroupBy(g => Fold(texts[g]), StringComparer.Ordinal)
            .Where(g => g.Select(x => texts[x]).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.ToArray()).OrderBy(g => g[0]).ToList();
        var isLong = groups.ToLookup(g => SimilarText.Normalize(texts[g[0]]).Length >= SimilarText.MinLength);
        var shortGroups = isLong[false].ToList();
        double chance = AtLeastByChance(shortGroups.Count, exactGroups + shortGroups.Count);
        bool meaningful = chance < Significance;
        return new TextVariants(
            Reported: [.. isLong[true].Concat(meaningful ? [] : shortGroups).OrderBy(g => g[0])],
            Meaningful: meaningful ? shortGroups : [],
            ExactGroups: exactGroups,
            ShortGroups: shortGroups.Count,
            ChanceProbability: chance);
    }

    /// <summary>The key lines share when they differ only in case and surrounding space.</summary>
    public static string Fold(string text) => text.Trim().ToLowerInvariant();

    /// <summary>P(X ≥ k) for X ~ Binomial(n, 1/2), summed in log space (n can be in the hundred thousands).</summary>
    public static double AtLeastByChance(int k, int n)
    {
        if (k <= 0) return 1;
        double logHalfPowN = n * Math.Log(0.5), total = 0, logChoose = 0;
        // log C(n, i) built up from i = 0; only the terms i ≥ k are summed.
        for (int i = 0; i <= n; i++)
        {
            if (i > 0) logChoose += Math.Log(n - i + 1) - Math.Log(i);
            if (i >= k) total += Math.Exp(logChoose + logHalfPowN);
        }
        return Math.Min(1, total);
    }
}
