namespace Recipe.Diagnostics;

/// <summary>One off-diagonal cell: how often class <paramref name="Given"/> was predicted as <paramref name="Predicted"/>.</summary>
public sealed record Confusion(string Given, string Predicted, long Count, double ShareOfGiven);

/// <summary>Counts of (given label, predicted label) over a split: rows are the given labels, columns the predictions.</summary>
public sealed class ConfusionMatrix
{
    public ConfusionMatrix(IReadOnlyList<string> classNames, long[] labels, long[] predicted)
    {
        if (labels.Length != predicted.Length) throw new ArgumentException($"{labels.Length} labels but {predicted.Length} predictions");
        ClassNames = classNames;
        Counts = new long[classNames.Count, classNames.Count];
        for (int i = 0; i < labels.Length; i++) Counts[labels[i], predicted[i]]++;
    }

    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>[given, predicted].</summary>
    public long[,] Counts { get; }
    public long Total => Enumerable.Range(0, ClassNames.Count).Sum(g => RowTotal(g));
    public double Accuracy => Total == 0 ? 0 : Enumerable.Range(0, ClassNames.Count).Sum(c => Counts[c, c]) / (double)Total;

    public long RowTotal(int given) => Enumerable.Range(0, ClassNames.Count).Sum(p => Counts[given, p]);

    /// <summary>Recall of each class (the diagonal over the row), NaN for a class with no examples.</summary>
    public double[] RecallPerClass() => Enumerable.Range(0, ClassNames.Count)
        .Select(c => RowTotal(c) == 0 ? double.NaN : Counts[c, c] / (double)RowTotal(c)).ToArray();

    /// <summary>The largest off-diagonal cells, most frequent first.</summary>
    public IReadOnlyList<Confusion> TopConfusions(int count) =>
        (from g in Enumerable.Range(0, ClassNames.Count)
         from p in Enumerable.Range(0, ClassNames.Count)
         where g != p && Counts[g, p] > 0
         orderby Counts[g, p] descending, g, p
         select new Confusion(ClassNames[g], ClassNames[p], Counts[g, p], Counts[g, p] / (double)RowTotal(g)))
        .Take(count).ToList();

    /// <summary>Each row divided by its total: the share of a class's examples that went to each prediction.</summary>
    public double[,] RowShares()
    {
        int n = ClassNames.Count;
        var shares = new double[n, n];
        for (int g = 0; g < n; g++)
        {
            long total = RowTotal(g);
            for (int p = 0; p < n; p++) shares[g, p] = total == 0 ? 0 : Counts[g, p] / (double)total;
        }
        return shares;
    }
}
