namespace Recipe.Checks.Splits;

/// <summary>
/// Which of the numbers Recipe reports a leak between splits makes untrustworthy, by the split that leaked: a
/// validation example seen in training (or carrying its own answer) inflates everything measured or decided on
/// validation; a test example seen in training or in validation (where choices are tuned) inflates the final score.
/// </summary>
public static class LeakConsequences
{
    /// <summary>The numbers measured on, or chosen with, the validation split.</summary>
    public const string Validation =
        "validation_loss, validation_accuracy (regression: validation_rmse, _mae, _r2), the baselines' comparison " +
        "(dumb-baselines, trained-model-beats-baselines), early stopping's choice of weights and of when to stop, and every " +
        "stage-2 check that reads a validation loss";

    /// <summary>The final held-out score.</summary>
    public const string Test = "test_loss, test_accuracy (regression: test_rmse, _mae, _r2): the final score";

    /// <summary>One sentence naming the invalidated numbers for the held-out splits that leaked ("validation", "test"), or null when none did.</summary>
    /// <param name="leaked">Pairs (held-out split, where it leaked: a split name or "its own target").</param>
    public static string? Describe(IReadOnlyCollection<(string HeldOut, string Into)> leaked)
    {
        if (leaked.Count == 0) return null;
        var parts = new List<string>();
        var validation = leaked.Where(l => l.HeldOut == "validation").Select(l => l.Into).Distinct().ToList();
        var test = leaked.Where(l => l.HeldOut == "test").Select(l => l.Into).Distinct().ToList();
        if (validation.Count > 0) parts.Add($"validation leaked ({string.Join(", ", validation)}): {Validation}");
        if (test.Count > 0) parts.Add($"test leaked ({string.Join(", ", test)}): {Test}");
        return "Numbers this leak invalidates — " + string.Join("; ", parts) + ".";
    }
}
