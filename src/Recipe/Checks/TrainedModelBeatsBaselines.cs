using Recipe.Checks.Stage2;
using Recipe.Training;

namespace Recipe.Checks;

/// <summary>
/// After the real training run, the question stage 2 could only ask of a short run: does the trained
/// model beat the dumb baselines on the whole validation split? Same conditions as dumb-baselines,
/// now with equal footing (the linear model is trained to near convergence, and so is the model).
/// </summary>
public static class TrainedModelBeatsBaselines
{
    public const string Id = "trained-model-beats-baselines";

    /// <param name="baselines">Stage 2's metrics (prior, linear), from the same validation split.</param>
    public static CheckResult Judge(IReadOnlyDictionary<string, double> baselines, EvaluationResult validation, TimeSpan elapsed)
    {
        var evidence = new Evidence();
        var prior = baselines.FirstOrDefault(m => m.Key is "majority_loss" or "mean_predictor_loss" or "unigram_loss");
        evidence.Metric("trained_model_loss", validation.Loss);
        if (validation.Accuracy is { } accuracy) evidence.Metric("trained_model_accuracy", accuracy);
        if (prior.Key is not null) evidence.Test(DumbBaselines.BeatsPrior, validation.Loss / Math.Max(prior.Value, 1e-12));
        if (baselines.TryGetValue("linear_loss", out var linear)) evidence.Test(DumbBaselines.BeatsLinear, validation.Loss / Math.Max(linear, 1e-12));
        string Accuracy(string key) => baselines.TryGetValue(key, out var a) ? $" ({a:P1})" : "";
        var finding = $"validation loss {validation.Loss:F4}{(validation.Accuracy is { } acc ? $" ({acc:P1})" : "")} vs " +
                      $"prior {prior.Value:F4}{Accuracy(prior.Key?.Replace("_loss", "_accuracy") ?? "")}, linear {linear:F4}{Accuracy("linear_accuracy")}";
        var outcome = CheckOutcome.FromConditions(evidence, finding,
            "The trained model does not beat the dumb baselines: go back to stage 2's evidence, then grow capacity (stage 3) until it does.");
        return new CheckResult(Id, 3, "The trained model beats the dumb baselines (prior and linear model) on the whole validation split.",
            Blocking: false, outcome.Verdict, outcome.Finding, outcome.Evidence, outcome.Advice, elapsed);
    }
}
