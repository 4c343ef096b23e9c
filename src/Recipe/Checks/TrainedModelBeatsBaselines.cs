using Recipe.Checks.Stage2;
using Recipe.Training;

namespace Recipe.Checks;

/// <summary>How the real training run ended, as the verdict on the trained model needs it.</summary>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="StopReason">Why the loop stopped, in words.</param>
/// <param name="StillImproving">True when the run ended on a budget while validation was still improving.</param>
public sealed record TrainingEnd(int Steps, string StopReason, bool StillImproving);

/// <summary>
/// After the real training run, the question stage 2 could only ask of a short run: does the trained
/// model beat the dumb baselines on the whole validation split? Same conditions as dumb-baselines,
/// now with equal footing (the linear model is trained to near convergence, and so is the model).
/// When it does not, the advice depends on how training ended: a run cut off by its budget while validation
/// still improved needs more steps, not more capacity.
/// </summary>
public static class TrainedModelBeatsBaselines
{
    public const string Id = "trained-model-beats-baselines";

    /// <summary>The prior predictor's loss among stage 2's metrics (majority class, mean predictor or unigram), if recorded.</summary>
    public static KeyValuePair<string, double> PriorOf(IReadOnlyDictionary<string, double> baselines) =>
        baselines.FirstOrDefault(m => m.Key is "majority_loss" or "mean_predictor_loss" or "unigram_loss");

    /// <summary>True when a validation loss passes every condition of this check against the baselines.</summary>
    public static bool Beats(IReadOnlyDictionary<string, double> baselines, double validationLoss)
    {
        var prior = PriorOf(baselines);
        if (prior.Key is not null && !DumbBaselines.BeatsPrior.Holds(validationLoss / Math.Max(prior.Value, 1e-12))) return false;
        return !baselines.TryGetValue("linear_loss", out var linear) || DumbBaselines.BeatsLinear.Holds(validationLoss / Math.Max(linear, 1e-12));
    }

    /// <param name="baselines">Stage 2's metrics (prior, linear), from the same validation split.</param>
    /// <param name="end">How training ended; null when unknown (the advice then cannot tell steps from capacity).</param>
    public static CheckResult Judge(IReadOnlyDictionary<string, double> baselines, EvaluationResult validation, TimeSpan elapsed, TrainingEnd? end = null)
    {
        var evidence = new Evidence();
        var prior = PriorOf(baselines);
        evidence.Metric("trained_model_loss", validation.Loss);
        if (validation.Accuracy is { } accuracy) evidence.Metric("trained_model_accuracy", accuracy);
        if (prior.Key is not null) evidence.Test(DumbBaselines.BeatsPrior, validation.Loss / Math.Max(prior.Value, 1e-12));
        if (baselines.TryGetValue("linear_loss", out var linear)) evidence.Test(DumbBaselines.BeatsLinear, validation.Loss / Math.Max(linear, 1e-12));
        if (end is not null) evidence.Number("training_steps", end.Steps).Note($"Training stopped: {end.StopReason}.");
        string Accuracy(string key) => baselines.TryGetValue(key, out var a) ? $" ({a:P1})" : "";
        var finding = $"validation loss {validation.Loss:F4}{(validation.Accuracy is { } acc ? $" ({acc:P1})" : "")} vs " +
                      $"prior {prior.Value:F4}{Accuracy(prior.Key?.Replace("_loss", "_accuracy") ?? "")}, linear {linear:F4}{Accuracy("linear_accuracy")}" +
                      (end is null ? "" : $" after {end.Steps} steps ({end.StopReason})");
        var advice = end is { StillImproving: true }
            ? $"Training ended on its budget after {end.Steps} steps while validation was still improving: the model is under-trained, not " +
              "necessarily too small. Give it more time (`--budget`), then judge its capacity."
            : "The trained model does not beat the dumb baselines although validation had stopped improving: go back to stage 2's evidence, " +
              "then grow capacity (stage 3) until it does.";
        var outcome = CheckOutcome.FromConditions(evidence, finding, advice);
        return new CheckResult(Id, 3, "The trained model beats the dumb baselines (prior and linear model) on the whole validation split.",
            Blocking: false, outcome.Verdict, outcome.Finding, outcome.Evidence, outcome.Advice, elapsed);
    }
}
