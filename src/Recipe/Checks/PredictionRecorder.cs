using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks;

/// <summary>
/// A training hook that records the model's predictions on a fixed batch at the start and every
/// <paramref name="every"/> steps, in eval mode and without gradients.
/// </summary>
/// <param name="inputs">The fixed batch as it enters model(x).</param>
public sealed class PredictionRecorder(Tensor inputs, Tensor targets, TaskKind task, int every, PredictionTrace trace) : ITrainingHook
{
    public PredictionTrace Trace => trace;

    public void OnTrainingStart(TrainingContext context) => Record(context.Model, 0);

    public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
    {
        if (step.Step % every == 0) Record(context.Model, step.Step);
        return null;
    }

    void Record(nn.Module<Tensor, Tensor> model, int step)
    {
        using var _ = EvalMode.Of(model);
        using (no_grad())
        using (var scope = NewDisposeScope())
            trace.Add(step, Predict(model.call(inputs), targets, task));
    }

    /// <summary>Per example: probability of the correct class (mean over valid tokens for sequences), or the predicted value.</summary>
    public static double[] Predict(Tensor output, Tensor targets, TaskKind task)
    {
        using var scope = NewDisposeScope();
        switch (task)
        {
            case TaskKind.Regression:
                return output.reshape(output.shape[0]).to_type(float64).data<double>().ToArray();
            case TaskKind.Classification:
                return output.softmax(-1).gather(1, targets.unsqueeze(1)).squeeze(1).to_type(float64).data<double>().ToArray();
            default:
                var valid = targets.ne(Losses.IgnoreIndex);
                var p = output.softmax(-1).gather(2, targets.clamp_min(0).unsqueeze(2)).squeeze(2) * valid; // (B, T)
                return (p.sum(1) / valid.sum(1).clamp_min(1)).to_type(float64).data<double>().ToArray();
        }
    }
}
