using Recipe.Checks;
using Recipe.Training;

namespace Recipe.Regularization;

/// <summary>What a candidate's trial costs beside the current best's: the ratio of multiply-adds per example of their models.</summary>
public static class TrialCost
{
    /// <summary>Never below 1: a step has a fixed overhead, and a model half the size does not halve it.</summary>
    public static double Ratio(Pipeline current, Pipeline candidate)
    {
        using var a = current.CreateModel();
        using var b = candidate.CreateModel();
        double before = TrainingLength.MultiplyAddsPerExample(a, current.Transform, current.Data.Train);
        double after = TrainingLength.MultiplyAddsPerExample(b, candidate.Transform, candidate.Data.Train);
        return Math.Max(1, after / Math.Max(before, 1));
    }
}
