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
    /// <summary>Examples drawn in the picture (all of them count in the numbers).</summary>
    const int Plotted = 12;

    /// <summary>Snapshots in the moving average that jitter is measured against.</summary>
    public const int Window = 5;
    /// <summary>
    /// Mean |distance − its moving average over 5 snapshots| (distance: the example's cross-entropy, or its error in target std):
    /// the wiggle around the trend. Measured on a small MLP over Fashion-MNIST: Adam 3e-4 0.03, 1e-3 0.09, 3e-3 0.18,
    /// 3e-2 0.43, 1e-1 0.52.
    /// </summary>
    public static readonly Condition Smooth = Condition.AtMost("jitter: mean |distance to the label − its moving average|", 0.3);

    public string Id => "prediction-dynamics";
    public int Stage => 2;
    public string Hypothesis => "During training, predictions on a fixed validation batch move smoothly toward their labels.";
    public bool Blocking => false;
    public IReadOnlyList<Condition> Conditions => [TowardLabels, Smooth];

    /// <summary>Mean absolute difference between a series and its centred moving average (symmetric, so narrower at the ends: a straight line has none).</summary>
    public static double Wiggle(double[] series)
    {
        double sum = 0;
        for (int s = 0; s < series.Length; s++)
        {
            int half = Math.Min(Window / 2, Math.Min(s, series.Length - 1 - s));
            sum += Math.Abs(series[s] - series[(s - half)..(s + half + 1)].Average());
        }
        return series.Length == 0 ? 0 : sum / series.Length;
    }

    public CheckOutcome Run(CheckContext context)
    {
        var trace = context.BaseRun.Dynamics ?? throw new InvalidOperationException("the short run recorded no predictions");
        int snapshots = trace.Steps.Count, examples = trace.Labels.Count;
        if (snapshots < 3) return CheckOutcome.Skipped("the short run is too short to record prediction dynamics");
        double start = Enumerable.Range(0, examples).Average(i => trace.Distance(0, i));
        double end = Enumerable.Range(0, examples).Average(i => trace.Distance(snapshots - 1, i));
        double toward = end / Math.Max(start, 1e-12);
        double jitter = Enumerable.Range(0, examples).Average(i => Wiggle(Enumerable.Range(0, snapshots).Select(s => trace.Distance(s, i)).ToArray()));
        if (double.IsNaN(toward)) toward = double.PositiveInfinity;
        if (double.IsNaN(jitter)) jitter = 1;

        var evidence = new Evidence().Number("examples", examples).Number("snapshots", snapshots)
            .Number("distance_at_start", start).Number("distance_at_end", end).Number("toward_share", toward).Number("jitter", jitter);
        evidence.Test(TowardLabels, toward);
        evidence.Test(Smooth, jitter);
        var steps = trace.Steps.Select(s => (double)s).ToArray();
        bool regression = !trace.IsProbability;
        var series = Enumerable.Range(0, Math.Min(examples, Plotted)).Select(i => (
            $"example {i}",
            steps, trace.Predictions.Select(p => trace.Scale is { } scale ? (p[i] - trace.Labels[i]) / scale : p[i]).ToArray())).ToList();
        evidence.Picture(Charts.Lines("predictions on a fixed validation batch during training", "step",
                regression ? "(prediction − label) / target std (label = 0)" : "probability of the correct label (label = 1)", series),
            $"Each line is one example (the first {Math.Min(examples, Plotted)} of {examples}): lines should drift toward the label steadily; violent zig-zags mean the learning rate is too high.");
        return CheckOutcome.FromConditions(evidence,
            $"{examples} fixed validation examples over {trace.Steps[^1]} steps: mean {(regression ? "error (in target std)" : "cross-entropy")} " +
            $"{Show.N(start)} → {Show.N(end)}, jitter {Show.N(jitter)}",
            "The predictions do not settle toward the labels. Heavy jitter: lower the learning rate (Adam 3e-4 is safe), check the batch size " +
            "and the input scale. No movement: the learning rate is too low, or see loss-decreases and overfit-one-batch.");
    }
}
