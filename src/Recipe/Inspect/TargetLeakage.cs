using Recipe.Data;

namespace Recipe.Inspect;

/// <summary>How much of the target's variation one feature leaves unexplained, on its own (0: it determines the target).</summary>
/// <param name="Measure">How it was measured, for the message ("1 − η²", "1 − Spearman ρ²", "held-out error share").</param>
public sealed record FeatureAssociation(string Column, double Unexplained, string Measure);

/// <summary>A column judged to leak the target, with the rule that judged it and a sentence for the finding.</summary>
public sealed record Leak(string Column, string Rule, string Message, IReadOnlyDictionary<string, double> Statistics);

/// <summary>
/// Target-leakage candidates, judged against a control from the same table rather than a fixed bar: a
/// feature that predicts the target well is not a leak by itself (petal width separates iris species;
/// that is why iris is a teaching set). A column is reported when
/// <list type="bullet">
/// <item>it is the target under another name: its values and the classes map one to one (a copy, a code, a target encoding);</item>
/// <item>it explains the target near perfectly <em>and</em> far better than every other feature: real features of a
/// real task share the work, a derived copy stands alone (target + tiny noise, a monotone transform of a numeric target);</item>
/// <item>it looks like an identifier yet predicts held-out targets: the rows were numbered in target order.</item>
/// </list>
/// </summary>
public static class TargetLeakage
{
    /// <summary>
    /// Near perfect: the feature leaves at most this share of the target's variation unexplained (explains ≥ 95%). Loose
    /// on purpose: it only picks candidates; <see cref="FarAbove"/> (the control) decides.
    /// </summary>
    public const double NearPerfect = 0.05;

    /// <summary>
    /// Far above the rest: the best other feature (the control) leaves at least this many times more unexplained. Real
    /// features of a real task are within a small factor of each other (iris: petal length 0.059, petal width 0.071);
    /// a copy with noise is orders of magnitude apart.
    /// </summary>
    public const double FarAbove = 10;

    /// <summary>An identifier should not predict the target at all; one that removes this share of the majority baseline's errors on held-out rows is ordered by target.</summary>
    public const double IdentifierErrorReduction = 0.5;

    /// <summary>A one-to-one value ↔ class map counts only when the values repeat (on average at least this often): unique values map to anything.</summary>
    const double RelabellingMinimumRowsPerValue = 2;

    /// <param name="targetIds">Class index (classification) or distinct-value index (regression) of each row.</param>
    /// <param name="power">Each feature's held-out predictive power (same order as the table's features).</param>
    /// <param name="identifiers">Columns that look like identifiers.</param>
    public static IReadOnlyList<Leak> Find(TaskKind task, Table table, long[] targetIds, IReadOnlyList<FeaturePower> power,
        IReadOnlySet<string> identifiers, out IReadOnlyList<FeatureAssociation> associations)
    {
        bool classification = task == TaskKind.Classification;
        var powerOf = power.ToDictionary(p => p.Column);
        associations = table.Features.Select(c => Association(c, table.Target, targetIds, classification, powerOf[c.Name])).ToList();
        var leaks = new List<Leak>();
        var relabellings = classification ? table.Features.Where(c => IsRelabelling(c, targetIds)).Select(c => c.Name).ToHashSet() : [];
        foreach (var name in relabellings)
        {
            int values = Keys(table.Features.First(c => c.Name == name)).Where(k => k is not null).Distinct().Count();
            leaks.Add(new Leak(name, "relabelling",
                $"column '{name}' is the target under other names: each of its {values} values goes with exactly one class and each class with one value; " +
                "drop it unless the target is really known before prediction",
                new Dictionary<string, double> { ["values"] = values }));
        }

        foreach (var candidate in associations.Where(a => !relabellings.Contains(a.Column) && a.Unexplained <= NearPerfect))
        {
            // The control: the best of the other features (a copy of the target excepted, it would hide its own noisy twin);
            // with no other feature, knowing nothing (everything unexplained).
            var others = associations.Where(a => a.Column != candidate.Column && !relabellings.Contains(a.Column) && !double.IsNaN(a.Unexplained)).ToList();
            var control = others.Count == 0 ? new FeatureAssociation("(none)", 1, candidate.Measure) : others.MinBy(a => a.Unexplained)!;
            if (control.Unexplained < FarAbove * candidate.Unexplained) continue;
            leaks.Add(new Leak(candidate.Column, "far-above-the-rest",
                $"column '{candidate.Column}' alone explains {1 - candidate.Unexplained:P2} of the target ({candidate.Measure}), far more than the best other feature " +
                $"'{control.Column}' ({1 - control.Unexplained:P1}): check that it is not derived from the target",
                new Dictionary<string, double>
                {
                    ["unexplained"] = candidate.Unexplained, ["control_unexplained"] = control.Unexplained,
                    ["near_perfect"] = NearPerfect, ["far_above"] = FarAbove,
                }));
        }

        foreach (var name in identifiers.Where(n => !leaks.Any(l => l.Column == n)))
        {
            var p = powerOf[name];
            double reduction = ErrorReduction(p);
            if (!(reduction >= IdentifierErrorReduction)) continue;
            leaks.Add(new Leak(name, "identifier-ordered-by-target",
                $"column '{name}' looks like an identifier yet predicts held-out targets ({(classification ? "accuracy" : "R²")} {p.Score:F3}, " +
                $"always the {(classification ? "majority" : "mean")}: {p.Baseline:F3}): the rows seem numbered in target order; drop it",
                new Dictionary<string, double> { ["score"] = p.Score, ["baseline"] = p.Baseline, ["error_reduction"] = reduction, ["limit"] = IdentifierErrorReduction }));
        }
        return leaks;
    }

    /// <summary>Share of the majority (or mean) baseline's held-out error that the feature's lookup removes.</summary>
    public static double ErrorReduction(FeaturePower p) =>
        p.Baseline >= 1 ? (p.Score >= 1 ? 1 : 0) : (p.Score - p.Baseline) / (1 - p.Baseline);

    /// <summary>
    /// Numeric features: 1 − η² for classes (the share of the feature's variance left within classes, no fitting, so no
    /// overfitting) and 1 − Spearman ρ² for a numeric target (any monotone transform of the target scores 0). Categorical
    /// features: the held-out lookup's remaining error share, honest about many categories.
    /// </summary>
    static FeatureAssociation Association(Column column, Column target, long[] targetIds, bool classification, FeaturePower power)
    {
        if (column.Kind == ColumnKind.Numeric)
        {
            var rows = Enumerable.Range(0, column.Numbers.Length).Where(r => !double.IsNaN(column.Numbers[r]) && (classification || !double.IsNaN(target.Numbers[r]))).ToArray();
            if (rows.Length >= 3)
                return classification
                    ? new FeatureAssociation(column.Name, WithinClassShare(rows.Select(r => column.Numbers[r]).ToArray(), rows.Select(r => targetIds[r]).ToArray()), "1 − η²")
                    : new FeatureAssociation(column.Name, 1 - Math.Pow(Spearman(rows.Select(r => column.Numbers[r]).ToArray(), rows.Select(r => target.Numbers[r]).ToArray()), 2), "1 − Spearman ρ²");
        }
        double remaining = double.IsNaN(power.Score) ? double.NaN : Math.Clamp(1 - ErrorReduction(power), 0, 1);
        return new FeatureAssociation(column.Name, remaining, "held-out error share of the majority baseline's");
    }

    static double WithinClassShare(double[] values, long[] classes)
    {
        double mean = values.Average();
        double total = values.Sum(v => (v - mean) * (v - mean));
        if (total <= 0) return 1;   // a constant explains nothing
        double within = Enumerable.Range(0, values.Length).GroupBy(i => classes[i])
            .Sum(g => { double m = g.Average(i => values[i]); return g.Sum(i => (values[i] - m) * (values[i] - m)); });
        return within / total;
    }

    /// <summary>Pearson correlation of the ranks (ties share their average rank).</summary>
    public static double Spearman(double[] a, double[] b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.Length; i++)
        {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            for (int k = start; k <= end; k++) ranks[order[k]] = (start + end) / 2.0;
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>Every present value goes with one class and every class with one value, and the values repeat.</summary>
    static bool IsRelabelling(Column column, long[] targetIds)
    {
        var keys = Keys(column);
        var present = Enumerable.Range(0, keys.Length).Where(r => keys[r] is not null && targetIds[r] >= 0).ToArray();
        if (present.Length == 0) return false;
        int values = present.Select(r => keys[r]).Distinct().Count();
        int classes = present.Select(r => targetIds[r]).Distinct().Count();
        int pairs = present.Select(r => (keys[r], targetIds[r])).Distinct().Count();
        return classes >= 2 && values == classes && pairs == values && present.Length >= RelabellingMinimumRowsPerValue * values;
    }

    /// <summary>The value of each row as a key: the number for numeric columns ("1" and "1.0" agree), the text otherwise; null when missing.</summary>
    static string?[] Keys(Column column) => column.Kind == ColumnKind.Numeric
        ? column.Numbers.Select(v => double.IsNaN(v) ? null : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray()
        : column.Raw;
}
