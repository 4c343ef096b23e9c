using Recipe.Checks;
using Recipe.Diagnostics;
using Recipe.Experiments;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>A candidate model against the model it would replace, on the same validation examples: the verdict and its evidence.</summary>
public sealed record PairedComparison(double BaselineLoss, EvaluationResult Candidate, double Sigma, Prediction Prediction, ExperimentVerdict Verdict, string Explanation)
{
    public bool Confirmed => Verdict == ExperimentVerdict.Confirmed;
}

/// <summary>
/// "Squeeze out the juice" replaces a trained model only with a trained model that is better on validation: lower loss by
/// at least <see cref="SmallestGain"/> of the baseline's, and by more than the noise of that difference on these
/// examples (<see cref="PairedNoise"/>, <see cref="VerdictRule"/>). Both models exist already, so the question is
/// whether another sample of examples could reverse the gain, not whether another seed could.
/// </summary>
public static class PairedValidation
{
    /// <summary>The smallest gain that counts, as a fraction of the baseline's validation loss.</summary>
    public const double SmallestGain = 0.01;

    /// <summary>How the verdict's sentence names the noise.</summary>
    public const string NoiseName = "σ of the paired per-example difference on validation";

    /// <summary>Judges <paramref name="candidate"/> against <paramref name="baseline"/>, whose whole-split validation loss the caller measured.</summary>
    public static PairedComparison Compare(Pipeline pipeline, nn.Module<Tensor, Tensor> baseline, double baselineLoss, nn.Module<Tensor, Tensor> candidate)
    {
        var data = pipeline.Data;
        var validation = Evaluation.Run(candidate, data.Validation, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
        var perExampleBaseline = SplitPredictions.Measure(baseline, data.Validation, data.Task, pipeline.Transform).Losses;
        var perExampleCandidate = SplitPredictions.Measure(candidate, data.Validation, data.Task, pipeline.Transform).Losses;
        double sigma = PairedNoise.Sigma(perExampleBaseline, perExampleCandidate);
        var prediction = Prediction.LowerBy(Metrics.ValidationLoss, SmallestGain, baselineLoss);
        var verdict = VerdictRule.Judge(prediction, baselineLoss, validation.Loss, sigma);
        return new PairedComparison(baselineLoss, validation, sigma, prediction, verdict, VerdictRule.Explain(verdict, prediction, baselineLoss, validation.Loss, sigma, NoiseName));
    }
}
