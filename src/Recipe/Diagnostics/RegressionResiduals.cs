using Recipe.Data;

namespace Recipe.Diagnostics;

/// <summary>One example's prediction beside its target, in the target's own units.</summary>
public sealed record Residual(int Index, double Target, double Predicted)
{
    public double Error => Predicted - Target;
}

/// <summary>Regression: every (target, prediction) pair for the scatter, and the largest absolute residuals.</summary>
public sealed record RegressionResiduals(double[] Targets, double[] Predicted, IReadOnlyList<Residual> Largest)
{
    /// <summary>From predictions on standardized targets, back in the target's units when <paramref name="scale"/> is given.</summary>
    public static RegressionResiduals Of(SplitPredictions predictions, TargetScale? scale, int count)
    {
        double Original(double v) => scale?.ToOriginal(v) ?? v;
        var targets = predictions.Targets!.Select(Original).ToArray();
        var predicted = predictions.Outputs!.Select(Original).ToArray();
        var largest = Enumerable.Range(0, targets.Length).OrderByDescending(i => Math.Abs(predicted[i] - targets[i])).ThenBy(i => i).Take(count)
            .Select(i => new Residual(i, targets[i], predicted[i])).ToList();
        return new RegressionResiduals(targets, predicted, largest);
    }
}
