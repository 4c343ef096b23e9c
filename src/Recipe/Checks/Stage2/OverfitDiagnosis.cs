namespace Recipe.Checks.Stage2;

/// <summary>
/// What overfit-one-batch's attempts say together: which attempt the verdict rests on, and whether a miss is the model's
/// time, its capacity, or a broken pipeline.
/// <list type="bullet">
/// <item>The pipeline's model fits with twice the steps: it learns slowly, nothing is broken (warn).</item>
/// <item>Only the larger model fits: the data, labels, loss and optimizer are sound. With one of Recipe's own models that is
/// capacity (warn); with the user's model the model itself is the suspect (a softmax before the loss, a frozen layer) and it
/// stays a failure.</item>
/// <item>Nothing fits: the pipeline is broken (fail).</item>
/// </list>
/// </summary>
internal sealed record OverfitDiagnosis(OverfitOneBatch.Try Judged, string Summary, string Explanation, string Advice)
{
    const string BrokenAdvice =
        "The model cannot memorize a handful of examples. Look for labels that do not belong to their inputs, inputs lost before the model " +
        "(zeroed, constant, detached), a loss that sends no gradient (clamped), or a learning rate that is zero or decays to zero; if all " +
        "are right, give the model more capacity. The picture shows where the predictions got stuck.";

    public static OverfitDiagnosis Of(IReadOnlyList<OverfitOneBatch.Try> attempts, bool recipesOwnModel)
    {
        var first = attempts[0];
        if (first.Fits) return new(first, "fits", "", BrokenAdvice);
        var longer = attempts.FirstOrDefault(a => a.Longer);
        var larger = attempts.FirstOrDefault(a => a.Larger);
        string tried = $"The pipeline's model did not fit the batch in {first.Steps} steps ({Show.P(first.Share)} of its loss at init left)";
        if (longer is { Fits: true })
            return new(longer, "the model learns slowly: twice the steps fit the batch",
                $"{tried}; with twice the steps it does, so the pipeline is sound and the model only needs more steps.",
                "The pipeline is sound, but its model memorizes the batch only slowly: raise the learning rate or expect a long training run.");
        var ownBest = longer ?? first;
        if (larger is { Fits: true })
            return recipesOwnModel
                ? new(larger, "the model is too small: the larger model fits the batch",
                    $"{tried}, nor with twice the steps; the larger model does, so the data, labels, loss and optimizer are sound and the default model lacks capacity.",
                    "The pipeline is sound, but its default model is too small to memorize a few examples of this data: use the larger model (--model or a wider one).")
                : new(ownBest, "only the larger model fits the batch: the pipeline's model itself is the suspect",
                    $"{tried}, nor with twice the steps; the larger model does, so the data, labels, loss and optimizer are sound and the problem is in the " +
                    "pipeline's model: too small, or broken inside.",
                    "The larger model memorizes the batch and the pipeline's model cannot: look inside the model — a softmax before cross_entropy (a double " +
                    "softmax), a frozen, detached or zeroed layer, an output squashed into a narrow range — and if it is only small, make it wider.");
        return new(ownBest, larger is null ? "twice the steps do not fit the batch either: the pipeline is broken" : "neither twice the steps nor the larger model fit the batch: the pipeline is broken",
            $"{tried}; {(larger is null ? "twice the steps do" : "neither twice the steps nor the larger model do")} not either, so the pipeline is broken.",
            BrokenAdvice);
    }
}
