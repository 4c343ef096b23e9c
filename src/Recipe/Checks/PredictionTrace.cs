namespace Recipe.Checks;

/// <summary>
/// Predictions on a fixed batch recorded during training. For classes and tokens a prediction is the
/// probability given to the correct label (label 1); for regression it is the predicted value (label
/// the target) and <see cref="Scale"/> is the targets' standard deviation.
/// </summary>
public sealed class PredictionTrace(IReadOnlyList<double> labels, double scale)
{
    readonly List<int> _steps = [];
    readonly List<double[]> _predictions = [];

    public IReadOnlyList<double> Labels { get; } = labels;
    /// <summary>Distances to the labels are divided by this (1 for probabilities).</summary>
    public double Scale { get; } = scale;
    public IReadOnlyList<int> Steps => _steps;
    /// <summary>One array per snapshot, one value per example.</summary>
    public IReadOnlyList<double[]> Predictions => _predictions;

    public void Add(int step, double[] predictions)
    {
        _steps.Add(step);
        _predictions.Add(predictions);
    }

    /// <summary>Scaled distance of example <paramref name="example"/> to its label at snapshot <paramref name="snapshot"/>.</summary>
    public double Distance(int snapshot, int example) => Math.Abs(_predictions[snapshot][example] - Labels[example]) / Scale;
}
