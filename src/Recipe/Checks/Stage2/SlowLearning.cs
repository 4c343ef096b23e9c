using Recipe.Experiments;
using Recipe.Training;

namespace Recipe.Checks.Stage2;

/// <summary>
/// A short run that barely moved means one of two things: the model learns nothing (labels or inputs broken), or it learns
/// slowly (a learning rate too small for this model — a pooled head or a deep net at the skeleton's 3e-4). The checks that
/// fail on a barely-moving run tell them apart with two controls from the same runs: the batch loss still falling at the
/// end, beyond its own batch-to-batch noise (a loss that never goes below zero), and validation accuracy with real inputs
/// above the zeroed-input run's by more than two binomial standard errors, with the validation loss below it too (labels
/// that do not belong to their inputs cannot give that). Both: the advice is to
/// raise the learning rate before hunting for a label bug. The verdict stays: the run did not get far enough to vouch for
/// the pipeline.
/// </summary>
public static class SlowLearning
{
    /// <summary>The advice for a slow learner, or null when the runs do not show one.</summary>
    public static string? Advice(CheckContext context)
    {
        var real = context.BaseRun;
        if (real.Validation.Accuracy is null || !StillFalling(real.Training.StepLosses, out double before, out double after)) return null;
        // a loss below zero has no floor (nll on raw logits, a sign flipped): it falls forever, and that is the bug, not slowness
        if (real.Training.StepLosses.Any(l => l < 0)) return null;
        var blind = context.InputIndependentRun;
        // both controls must agree: real inputs ahead of zeroed ones on the validation loss as well as on accuracy
        if (!BeatsZeroedInputs(real.Validation, blind.Validation) || !(real.Validation.Loss < blind.Validation.Loss)) return null;
        return $"The model is learning, slowly: its batch loss was still falling at the end of the run ({Show.N(before)} → {Show.N(after)} " +
               $"over the last half, beyond its noise) and real inputs already beat zeroed ones on validation ({Show.P(real.Validation.Accuracy!.Value)} " +
               $"vs {Show.P(blind.Validation.Accuracy!.Value)}). Raise the learning rate (about ten times; `--knob lr=…` for Recipe's own " +
               "pipelines) and run the checks again. If it still does not learn: ";
    }

    /// <summary>
    /// The last quarter's mean batch loss below the quarter before it (<see cref="CurveTrend.EndQuarters"/>) by more than
    /// twice the standard error of that difference, from the batches' own spread.
    /// </summary>
    public static bool StillFalling(IReadOnlyList<double> stepLosses, out double before, out double after)
    {
        var (third, last) = CurveTrend.EndQuarters(stepLosses);
        before = after = double.NaN;
        if (third.Length < 5) return false;
        (before, after) = (third.Average(), last.Average());
        double standardError = Math.Sqrt(Variance(third) / third.Length + Variance(last) / last.Length);
        return before - after > 2 * standardError;
    }

    /// <summary>Validation accuracy with real inputs above the zeroed-input run's by more than two binomial standard errors of the difference.</summary>
    public static bool BeatsZeroedInputs(EvaluationResult real, EvaluationResult zeroed)
    {
        if (real.Accuracy is not { } a || zeroed.Accuracy is not { } b || real.Examples == 0 || zeroed.Examples == 0) return false;
        double standardError = Math.Sqrt(a * (1 - a) / real.Examples + b * (1 - b) / zeroed.Examples);
        return a - b > 2 * Math.Max(standardError, 1e-12);
    }

    static double Variance(double[] values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1);
    }
}
