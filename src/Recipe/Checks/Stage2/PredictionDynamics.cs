using Recipe.Data;
using Recipe.Reporting;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Visualize prediction dynamics: predictions on a fixed validation batch, recorded during the short
/// run, should move toward the labels steadily. A learning rate far too high shows as jitter (the path
/// much longer than the net move); far too low, as no movement.
/// </summary>
public sealed class PredictionDynamics : ICheck
{
    /// <summary>Mean distance to the label at the end, as a share of at the start.</summary>
    public static readonly Condition TowardLabels = Condition.AtMost("mean distance of predictions to their labels at the end, as a share of at the start", 0.9, format: "P0");
    /// <summary>1 − |net move| / path length, over the fixed batch: 0 is a straight path, 1 pure wiggle.</summary>
    public static readonly Condition Smooth = Condition.AtMost("jitter of the predictions (1 − net move / path length)", 0.6);

    public string Id => "prediction-dynamics";
    public int Stage => 2;
    public string Hypothesis => "During training, predictions on a fixed validation batch move smoothly toward their labels.";
    public bool Blocking => false;
    public IReadOnlyList<Condition> Conditions => [TowardLabels, Smooth];

    public CheckOutcome Run(CheckContext context)
    {
        var trace = context.BaseRun.Dynamics ?? throw new InvalidOperationException("the short run recorded no predictions");
        int snapshots = trace.Steps.Count, examples = trace.Labels.Count;
        if (snapshots < 3) return CheckOutcome.Skipped("the short run is too short to record prediction dynamics");
        double start = Enumerable.Range(0, examples).Average(i => trace.Distance(0, i));
        double end = Enumerable.Range(0, examples).Average(i => trace.Distance(snapshots - 1, i));
        double net = 0, path = 0;
        for (int i = 0; i < examples; i++)
        {
            net += Math.Abs(trace.Distance(snapshots - 1, i) - trace.Distance(0, i));
            for (int s = 1; s < snapshots; s++) path += Math.Abs(trace.Distance(s, i) - trace.Distance(s - 1, i));
        }
        double toward = end / Math.Max(start, 1e-12);
        double jitter = path > 0 ? 1 - net / path : 0;
        if (double.IsNaN(toward)) toward = double.PositiveInfinity;
        if (double.IsNaN(jitter)) jitter = 1;

        var evidence = new Evidence().Number("examples", examples).Number("snapshots", snapshots)
            .Number("distance_at_start", start).Number("distance_at_end", end).Number("toward_share", toward).Number("jitter", jitter);
        evidence.Test(TowardLabels, toward);
        evidence.Test(Smooth, jitter);
        var steps = trace.Steps.Select(s => (double)s).ToArray();
        var data = context.Data;
        bool regression = data.Task == TaskKind.Regression;
        var series = Enumerable.Range(0, examples).Select(i => (
            regression ? $"example {i}" : $"example {i}",
            steps, trace.Predictions.Select(p => regression ? (p[i] - trace.Labels[i]) / trace.Scale : p[i]).ToArray())).ToList();
        evidence.Picture(Charts.Lines("predictions on a fixed validation batch during training", "step",
                regression ? "(prediction − label) / target std (label = 0)" : "probability of the correct label (label = 1)", series),
            "Each line is one example: lines should drift toward the label steadily; violent zig-zags mean the learning rate is too high.");
        return CheckOutcome.FromConditions(evidence,
            $"{examples} fixed validation examples over {trace.Steps[^1]} steps: mean distance to the label {Show.N(start)} → {Show.N(end)}, jitter {Show.N(jitter)}",
            "The predictions do not settle toward the labels. Heavy jitter: lower the learning rate (Adam 3e-4 is safe), check the batch size " +
            "and the input scale. No movement: the learning rate is too low, or see loss-decreases and overfit-one-batch.");
    }
}
