namespace Recipe.Checks.Stage2;

/// <summary>
/// Where a judge puts the augmented examples of each class, against two controls from the same run. A class is
/// swapped when most of its augmented examples go to one other class although (1) the judge did not confuse the clean
/// versions of those examples with that class, and (2) that class is no sink: its own augmented examples, and those of
/// the remaining classes, are not predicted as it. A distribution shift (a crop, a colour change) spreads the
/// predictions or pulls every class toward one sink; a label the augmentation breaks moves one class onto another.
/// </summary>
public sealed record SwapAnalysis(IReadOnlyList<SwapAnalysis.ClassSwap> Classes)
{
    /// <param name="Label">The augmented label (the class the augmentation claims the example still is).</param>
    /// <param name="Count">Changed examples with that label.</param>
    /// <param name="Kept">Share of them the judge predicts as that label.</param>
    /// <param name="Other">The other class the judge predicts most often for them.</param>
    /// <param name="Share">Share of them predicted as <paramref name="Other"/>.</param>
    /// <param name="CleanControl">Share of their clean versions predicted as <paramref name="Other"/> (confusion already there).</param>
    /// <param name="SinkControl">Share of the other classes' augmented examples predicted as <paramref name="Other"/> (a common sink).</param>
    public sealed record ClassSwap(int Label, int Count, double Kept, int Other, double Share, double CleanControl, double SinkControl)
    {
        public double Beyond => Share - Math.Max(CleanControl, SinkControl);
    }

    /// <summary>The largest share beyond the controls (0 when no class has enough examples).</summary>
    public double Score => Classes.Select(c => c.Beyond).DefaultIfEmpty(0).Max();
    public ClassSwap? Worst => Classes.OrderByDescending(c => c.Beyond).FirstOrDefault();

    /// <summary>Per class (with at least <paramref name="minimum"/> changed examples): its strongest destination and the controls.</summary>
    public static SwapAnalysis Of(double[] augmentedLabels, double[] cleanPredictions, double[] augmentedPredictions, int classes, int minimum)
    {
        int n = augmentedLabels.Length;
        var label = augmentedLabels.Select(v => (int)v).ToArray();
        var predicted = augmentedPredictions.Select(v => (int)v).ToArray();
        var cleanPredicted = cleanPredictions.Select(v => (int)v).ToArray();
        var result = new List<ClassSwap>();
        for (int a = 0; a < classes; a++)
        {
            var members = Enumerable.Range(0, n).Where(i => label[i] == a).ToArray();
            if (members.Length < minimum) continue;
            var others = members.Select(i => predicted[i]).Where(p => p != a).GroupBy(p => p).OrderByDescending(g => g.Count()).FirstOrDefault();
            double kept = members.Count(i => predicted[i] == a) / (double)members.Length;
            if (others is null)
            {
                result.Add(new ClassSwap(a, members.Length, kept, a, 0, 0, 0));
                continue;
            }
            int b = others.Key;
            double share = others.Count() / (double)members.Length;
            double clean = members.Count(i => cleanPredicted[i] == b) / (double)members.Length;
            // The sink control: how much b attracts augmented examples that are not a's, b's own included (a sink keeps its own).
            var rest = Enumerable.Range(0, n).Where(i => label[i] != a).ToArray();
            double sink = rest.Length >= minimum ? rest.Count(i => predicted[i] == b) / (double)rest.Length : 0;
            var ownB = Enumerable.Range(0, n).Where(i => label[i] == b).ToArray();
            if (ownB.Length >= minimum) sink = Math.Max(sink, ownB.Count(i => predicted[i] == b) / (double)ownB.Length);
            result.Add(new ClassSwap(a, members.Length, kept, b, share, clean, sink));
        }
        return new SwapAnalysis(result);
    }
}
