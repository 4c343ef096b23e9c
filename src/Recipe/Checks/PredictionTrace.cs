namespace Recipe.Checks;

/// <summary>
/// Predictions on a fixed batch recorded during training. For classes and tokens a prediction is the
/// probability given to the correct label (label 1) and its distance to the label is the example's
/// cross-entropy, −ln p (floored at p = 1e-4), which shows a jump from 0.99 to 0.5 as plainly as one
/// from 0.5 to 0.01. For regression a prediction is the predicted value and its distance is
/// |prediction − label| in target standard deviations.
/// </summary>
public sealed class PredictionTrace
{
    readonly List<int> _steps = [];
    readonly List<double[]> _predictions = [];

    PredictionTrace(IReadOnlyList<double> labels, double? scale)
    {
        Labels = labels;
        Scale = scale;
    }

    /// <summary>A trace of probabilities of the correct label for <paramref name="examples"/> examples.</summary>
    public static PredictionTrace OfProbabilities(int examples) => new(Enumerable.Repeat(1.0, examples).ToArray(), null);

    /// <summary>A trace of predicted values for targets <paramref name="labels"/> whose standard deviation is <paramref name="std"/>.</summary>
    public static PredictionTrace OfValues(IReadOnlyList<double> labels, double std) => new(labels, Math.Max(std, 1e-12));

    public IReadOnlyList<double> Labels { get; }
    /// <summary>The targets' standard deviation for regression; null when predictions are probabilities.</summary>
    public double? Scale { get; }
    public bool IsProbability => Scale is null;
    public IReadOnlyList<int> Steps => _steps;
    /// <summary>One array per snapshot, one value per example.</summary>
    public IReadOnlyList<double[]> Predictions => _predictions;

    public void Add(int step, double[] predictions)
    {
        _steps.Add(step);
        _predictions.Add(predictions);
    }

    /// <summary>Distance of example <paramref name="example"/> to its label at snapshot <paramref name="snapshot"/> (0 = on the label).</summary>
    public double Distance(int snapshot, int example) => Scale is { } scale
        ? Math.Abs(_predictions[snapshot][example] - Labels[example]) / scale
        : -Math.Log(Math.Max(_predictions[snapshot][example], 1e-4));
}
