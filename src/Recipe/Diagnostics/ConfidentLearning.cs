namespace Recipe.Diagnostics;

/// <summary>An example whose out-of-sample probabilities confidently point at another class than its label.</summary>
/// <param name="Index">Index in the split.</param>
/// <param name="Given">The label in the data.</param>
/// <param name="Suspected">The class the model confidently sees instead.</param>
/// <param name="SuspectedProbability">Out-of-sample probability of <paramref name="Suspected"/>.</param>
/// <param name="GivenProbability">Out-of-sample probability of the given label (the self-confidence).</param>
public sealed record SuspectedLabel(int Index, long Given, long Suspected, double SuspectedProbability, double GivenProbability)
{
    /// <summary>How strongly the model disagrees: the suspected class's probability minus the given one's.</summary>
    public double Margin => SuspectedProbability - GivenProbability;
}

/// <summary>
/// Confident learning (Northcutt et al.): with out-of-sample probabilities p(k | x) for every example, the
/// threshold of class k is the mean p(k | x) over the examples labelled k (how confident the model is on its own
/// class, measured on this data, so no constant is tuned). An example labelled i is counted as confidently class
/// j when p(j | x) ≥ threshold(j); when that j (the most probable such class) is not i, its label is suspect.
/// Suspects are ranked by margin, p(j | x) − p(i | x), most contradicted first.
/// </summary>
public static class ConfidentLearning
{
    /// <summary>Per-class thresholds: mean self-confidence of each class (NaN for a class with no examples).</summary>
    public static double[] Thresholds(float[,] probabilities, long[] labels)
    {
        int classes = probabilities.GetLength(1);
        var sum = new double[classes];
        var count = new int[classes];
        for (int i = 0; i < labels.Length; i++)
        {
            sum[labels[i]] += probabilities[i, labels[i]];
            count[labels[i]]++;
        }
        return Enumerable.Range(0, classes).Select(c => count[c] == 0 ? double.NaN : sum[c] / count[c]).ToArray();
    }

    /// <summary>The suspected label errors, most contradicted first.</summary>
    public static IReadOnlyList<SuspectedLabel> Find(float[,] probabilities, long[] labels, double[]? thresholds = null)
    {
        thresholds ??= Thresholds(probabilities, labels);
        int classes = probabilities.GetLength(1);
        var suspects = new List<SuspectedLabel>();
        for (int i = 0; i < labels.Length; i++)
        {
            int confident = -1;
            for (int c = 0; c < classes; c++)
                if (!double.IsNaN(thresholds[c]) && probabilities[i, c] >= thresholds[c] && (confident < 0 || probabilities[i, c] > probabilities[i, confident]))
                    confident = c;
            if (confident < 0 || confident == labels[i]) continue;
            suspects.Add(new SuspectedLabel(i, labels[i], confident, probabilities[i, confident], probabilities[i, labels[i]]));
        }
        return suspects.OrderByDescending(s => s.Margin).ThenBy(s => s.Index).ToList();
    }
}
