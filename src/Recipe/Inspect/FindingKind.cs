namespace Recipe.Inspect;

/// <summary>
/// The kinds of finding `recipe inspect` reports, as the stable kebab-case strings summary.json carries,
/// and their rank: findings are printed most important first (a label that contradicts itself matters
/// more than an outlier in brightness).
/// </summary>
public static class FindingKind
{
    public const string ConflictingLabel = "conflicting-label";
    public const string CrossSplitDuplicate = "cross-split-duplicate";
    public const string Corrupted = "corrupted";
    public const string LabelOutsideClasses = "label-outside-classes";
    public const string LeakageCandidate = "leakage-candidate";
    public const string ExactDuplicate = "exact-duplicate";
    public const string Blank = "blank";
    public const string NearDuplicate = "near-duplicate";
    public const string Imbalance = "imbalance";
    public const string ClassDistributionShift = "class-distribution-shift";
    public const string MissingValues = "missing-values";
    public const string ConstantColumn = "constant-column";
    public const string HighCardinality = "high-cardinality";
    public const string EmptyLine = "empty-line";
    public const string RareCharacter = "rare-character";
    public const string Truncated = "truncated";
    public const string Outlier = "outlier";

    /// <summary>Every kind, most important first; a kind's position is its rank.</summary>
    public static readonly string[] ByImportance =
    [
        ConflictingLabel, CrossSplitDuplicate, Corrupted, LabelOutsideClasses, LeakageCandidate, ExactDuplicate, Blank,
        NearDuplicate, Imbalance, ClassDistributionShift, MissingValues, ConstantColumn, HighCardinality, EmptyLine,
        Truncated, RareCharacter, Outlier,
    ];

    /// <summary>0 for the most important kind; unknown kinds rank last.</summary>
    public static int Rank(string kind)
    {
        int rank = Array.IndexOf(ByImportance, kind);
        return rank < 0 ? ByImportance.Length : rank;
    }
}
