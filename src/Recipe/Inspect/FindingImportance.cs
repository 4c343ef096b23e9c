namespace Recipe.Inspect;

/// <summary>
/// How much a finding matters: the severity of its kind times how many examples it involves times how extreme it
/// is. Severity comes in tiers ten times apart, so that a finding never outranks one of a graver tier however many
/// examples it has (a thousand outliers in brightness matter less than one image in both train and test), while
/// within a tier the bigger and more extreme finding comes first.
/// </summary>
public static class FindingImportance
{
    /// <summary>The evaluation or the labels are wrong: scores cannot be trusted until it is fixed.</summary>
    const double Breaks = 100;
    /// <summary>Training is biased or wasted (duplicates, blanks, imbalance, missing values).</summary>
    const double Biases = 10;
    /// <summary>Worth a look (outliers, constant or identifier columns, rare characters).</summary>
    const double Look = 1;

    public static double Severity(string kind) => kind switch
    {
        FindingKind.ConflictingLabel or FindingKind.CrossSplitDuplicate or FindingKind.Corrupted
            or FindingKind.LabelOutsideClasses or FindingKind.LeakageCandidate => Breaks,
        FindingKind.ExactDuplicate or FindingKind.Blank or FindingKind.NearDuplicate or FindingKind.Imbalance
            or FindingKind.ClassDistributionShift or FindingKind.MissingValues or FindingKind.Truncated => Biases,
        _ => Look,
    };

    /// <summary>
    /// Severity × (1 + log10(1 + examples)) × (1 + how far past its threshold, in doublings): the log keeps a finding
    /// about 10,000 examples within a small factor of one about 10, so counts order findings within a tier, not across.
    /// </summary>
    public static double Of(Finding finding)
    {
        double size = 1 + Math.Log10(1 + Math.Max(0, finding.Count));
        return Severity(finding.Kind) * size * (1 + Extremeness(finding));
    }

    /// <summary>log2 of the measured value over its threshold, for findings that carry both (0 otherwise, capped at 4).</summary>
    static double Extremeness(Finding finding)
    {
        var s = finding.Statistics;
        double measured = s.TryGetValue("max_abs_z", out var z) ? z
            : s.TryGetValue("ratio", out var ratio) ? ratio
            : s.TryGetValue("total_variation", out var tv) ? tv
            : double.NaN;
        if (!s.TryGetValue("limit", out var limit) || !(limit > 0) || double.IsNaN(measured)) return 0;
        return double.IsPositiveInfinity(measured) ? 4 : Math.Clamp(Math.Log2(measured / limit), 0, 4);
    }
}
