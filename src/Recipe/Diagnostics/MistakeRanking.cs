namespace Recipe.Diagnostics;

/// <summary>
/// One example the model gets badly wrong: its index in the split, the loss, and for classes the given
/// and predicted labels with the probabilities the model gave them.
/// </summary>
public sealed record Mistake(int Index, double Loss, long? Given = null, long? Predicted = null, double? GivenProbability = null, double? PredictedProbability = null);

/// <summary>The highest-loss examples of a split: where the model is most wrong, or the label is.</summary>
public static class MistakeRanking
{
    public static IReadOnlyList<Mistake> HighestLoss(SplitPredictions predictions, int count)
    {
        var order = Enumerable.Range(0, predictions.Count)
            .Where(i => double.IsFinite(predictions.Losses[i]) || double.IsPositiveInfinity(predictions.Losses[i]))
            .OrderByDescending(i => predictions.Losses[i]).ThenBy(i => i).Take(count);
        if (predictions.Probabilities is not { } p || predictions.Labels is not { } labels)
            return order.Select(i => new Mistake(i, predictions.Losses[i])).ToList();
        var predicted = predictions.Predicted();
        return order.Select(i => new Mistake(i, predictions.Losses[i], labels[i], predicted[i], p[i, labels[i]], p[i, predicted[i]])).ToList();
    }
}
