using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Checks;

/// <summary>
/// A short training run shared by several checks, with whole-split measurements taken after it (the
/// task's standard loss, so that baselines compare like with like).
/// </summary>
public sealed class ShortRun(nn.Module<Tensor, Tensor> model, TrainingResult training, EvaluationResult validation, EvaluationResult trainProbe,
    EvaluationResult? trainProbeAtHalf, PredictionTrace? dynamics) : IDisposable
{
    public nn.Module<Tensor, Tensor> Model { get; } = model;
    public TrainingResult Training { get; } = training;
    /// <summary>The whole validation split.</summary>
    public EvaluationResult Validation { get; } = validation;
    /// <summary>A fixed subset of the training split (the training loss, measured rather than averaged over batches).</summary>
    public EvaluationResult TrainProbe { get; } = trainProbe;
    /// <summary>The same training subset measured halfway through the run (null when not measured).</summary>
    public EvaluationResult? TrainProbeAtHalf { get; } = trainProbeAtHalf;
    /// <summary>Predictions on a fixed validation batch during the run (null when not recorded).</summary>
    public PredictionTrace? Dynamics { get; } = dynamics;

    public void Dispose() => Model.Dispose();
}
