using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Checks;

/// <summary>
/// A short training run shared by several checks, with whole-split measurements taken after it (the task's standard
/// loss, so that baselines compare like with like). The measurements are taken when a check first reads them, not
/// with the training: each shared run is read by different checks (the zeroed-input run's training split and the
/// larger model's validation split by none), and a whole-split evaluation costs as much as a fifth of the run.
/// </summary>
public sealed class ShortRun(nn.Module<Tensor, Tensor> model, TrainingResult training, Func<EvaluationResult> validation, Func<EvaluationResult> trainProbe,
    EvaluationResult? trainProbeEarly, PredictionTrace? dynamics) : IDisposable
{
    readonly Lazy<EvaluationResult> _validation = new(validation);
    readonly Lazy<EvaluationResult> _trainProbe = new(trainProbe);

    public nn.Module<Tensor, Tensor> Model { get; } = model;
    public TrainingResult Training { get; } = training;
    /// <summary>The whole validation split.</summary>
    public EvaluationResult Validation => _validation.Value;
    /// <summary>A fixed subset of the training split (the training loss, measured rather than averaged over batches).</summary>
    public EvaluationResult TrainProbe => _trainProbe.Value;
    /// <summary>The same training subset measured after <see cref="CheckContext.CapacitySteps"/> (null when not measured).</summary>
    public EvaluationResult? TrainProbeEarly { get; } = trainProbeEarly;
    /// <summary>Predictions on a fixed validation batch during the run (null when not recorded).</summary>
    public PredictionTrace? Dynamics { get; } = dynamics;

    /// <summary>Which rows of each batch the model saw when not all of them (the zeroed-input run's shortcut, or why it was not taken).</summary>
    public string? RowsNote { get; internal set; }

    public void Dispose() => Model.Dispose();
}
