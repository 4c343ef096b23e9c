using Recipe.Progress;

namespace Recipe.Training;

/// <summary>Advances a progress bar once per step and shows the latest loss.</summary>
/// <param name="expectedSteps">The steps the bar counts to when the loop's limit is only a ceiling (a budget that may stop it sooner or be extended).</param>
public sealed class ProgressHook(IProgressSink sink, string description, int? expectedSteps = null) : ITrainingHook
{
    IProgressTask? _task;

    public void OnTrainingStart(TrainingContext context)
    {
        int perEpoch = (context.Training.Count + context.Config.BatchSize - 1) / context.Config.BatchSize;
        long epochsLong = (long)perEpoch * context.Config.Epochs; // a loop limited by time only has int.MaxValue epochs
        long total = context.Config.MaxSteps is { } max ? Math.Min(max, epochsLong) : epochsLong;
        _task = sink.Start(description, expectedSteps ?? (int)Math.Min(total, int.MaxValue));
    }

    public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
    {
        _task?.Advance();
        if (step.Step % 20 == 0) _task?.Describe($"{description} (epoch {step.Epoch}, loss {step.Loss:F4})");
        return null;
    }

    public void OnTrainingEnd(TrainingContext context, TrainingResult result) => _task?.Dispose();
}
