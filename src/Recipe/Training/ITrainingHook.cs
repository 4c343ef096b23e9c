namespace Recipe.Training;

/// <summary>What a hook sees after each step: plain numbers, no live tensors.</summary>
public sealed record StepInfo(int Epoch, int Step, double Loss, double LearningRate, int BatchSize);

/// <summary>What a hook sees after each epoch, with the whole-split validation result when it ran.</summary>
public sealed record EpochInfo(int Epoch, int Step, double MeanTrainLoss, EvaluationResult? Validation);

/// <summary>A whole-split validation result and the step (and epoch) after which it was measured.</summary>
public sealed record ValidationPoint(int Epoch, int Step, EvaluationResult Result);

/// <summary>Why training stopped early: a reason a person can read, never an exception.</summary>
public sealed record StopRequest(string Reason);

/// <summary>
/// A small piece of behaviour attached to the training loop at fixed points. Every method does
/// nothing by default; a hook implements only what it needs.
/// </summary>
public interface ITrainingHook
{
    void OnTrainingStart(TrainingContext context) { }
    /// <summary>Called with the exact tensor that entered model(x) on the step (normalized, as the model saw it).</summary>
    void OnBatchInput(TrainingContext context, TorchSharp.torch.Tensor modelInput, TorchSharp.torch.Tensor targets) { }
    /// <summary>Return a stop request to end training after this step.</summary>
    StopRequest? OnStepEnd(TrainingContext context, StepInfo step) => null;
    StopRequest? OnEpochEnd(TrainingContext context, EpochInfo epoch) => null;
    /// <summary>Called after every whole-split validation (every few steps or every epoch, see <see cref="TrainingConfig"/>); may stop training.</summary>
    StopRequest? OnValidation(TrainingContext context, ValidationPoint validation) => null;
    void OnTrainingEnd(TrainingContext context, TrainingResult result) { }
}
