namespace Recipe.Training;

/// <summary>
/// The recipe's "decay the learning rate at the very end": wraps <see cref="EarlyStopping"/> so that, the first
/// <paramref name="drops"/> times validation stops improving, training does not stop but goes on from the best weights
/// with the learning rate times <paramref name="factor"/>; only after the last drop does the plateau end the run. Used
/// by the final training when the user gave it time (--budget): a constant rate that stopped improving validation can
/// still settle lower at a smaller step, and each phase is judged on validation like the first.
/// </summary>
public sealed class LearningRateDrops(EarlyStopping earlyStopping, int drops = 2, double factor = 0.1) : ITrainingHook
{
    readonly List<(int Step, double Rate)> _dropped = [];
    readonly List<string> _why = [];

    /// <summary>(step, new rate) of every drop made.</summary>
    public IReadOnlyList<(int Step, double Rate)> Dropped => _dropped;

    /// <summary>Why a drop is made unless told otherwise: a validation plateau.</summary>
    public const string OnPlateau = "validation stopped improving";

    public StopRequest? OnValidation(TrainingContext context, ValidationPoint validation)
    {
        var stop = earlyStopping.OnValidation(context, validation);
        if (stop is null || !TryDrop(context, validation.Step)) return stop;
        return null;
    }

    /// <summary>
    /// Lowers the rate once more, from the best weights, when a drop is left: true when it did. Also asked by the step
    /// budget when validation's gain over its last stretch was within its noise (a plateau measured on the curve's jitter).
    /// </summary>
    /// <param name="why">What made the drop, for the stop reason.</param>
    public bool TryDrop(TrainingContext context, int step, string why = OnPlateau)
    {
        if (_dropped.Count >= drops) return false;
        earlyStopping.RestartFromBest(context.Model, step);
        double rate = 0;
        foreach (var group in context.Optimizer.ParamGroups)
        {
            group.LearningRate *= factor;
            rate = group.LearningRate;
        }
        _dropped.Add((step, rate));
        _why.Add(why);
        return true;
    }

    public void OnTrainingEnd(TrainingContext context, TrainingResult result) => earlyStopping.OnTrainingEnd(context, result);

    /// <summary>The drops in words, for the stop reason ("" when none was made).</summary>
    public string Describe() => _dropped.Count == 0 ? ""
        : _why.All(w => w == OnPlateau)
            ? "; learning rate lowered " + string.Join(", ", _dropped.Select(d => $"to {d.Rate:G3} at step {d.Step}")) + $" when {OnPlateau}"
            : "; learning rate lowered " + string.Join(", ", _dropped.Select((d, i) => $"to {d.Rate:G3} at step {d.Step} ({_why[i]})"));
}
