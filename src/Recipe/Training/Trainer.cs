using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>
/// The training loop. It reads top to bottom: forward, loss, backward, step, log, evaluate. Everything
/// else (progress, checks, checkpoints, schedules) is a hook called at fixed points.
/// </summary>
public sealed class Trainer(IReadOnlyList<ITrainingHook>? hooks = null)
{
    readonly IReadOnlyList<ITrainingHook> _hooks = hooks ?? [];

    public TrainingResult Fit(TrainingContext context)
    {
        var (model, data, _, optimizer, config) = context;
        if (config.KeepFreedNativeMemory) NativeHeap.KeepFreedMemory(); // else every step pays page faults
        var clock = Stopwatch.StartNew();
        var stepLosses = new List<double>();
        var epochs = new List<EpochInfo>();
        var validations = new List<ValidationPoint>();
        string? stopReason = null;
        int step = 0;
        foreach (var hook in _hooks) hook.OnTrainingStart(context);

        // whole-split validation; hooks (early stopping, budgets) may stop training on what it shows
        ValidationPoint Validate(int epoch)
        {
            var point = new ValidationPoint(epoch, step, Evaluation.Run(model, data.Validation, data.Task, context.ModelInput, context.LossOf));
            validations.Add(point);
            if (FirstStop(h => h.OnValidation(context, point)) is { } stop) stopReason ??= stop.Reason;
            return point;
        }

        // evaluate once before the first step: the validation curve starts at the loss at init
        if (config.EvaluateValidation && config.EvaluateAtStart)
            epochs.Add(new EpochInfo(0, 0, double.NaN, Validate(0).Result));

        for (int epoch = 1; epoch <= config.Epochs && stopReason is null; epoch++)
        {
            model.train();
            double epochLoss = 0;
            int epochSteps = 0;
            ValidationPoint? validation = null;
            var loader = new Data.BatchLoader(context.Training, config.BatchSize, shuffle: true, Seeding.DataOrderSeed(config.Seed, epoch), config.TrimSequencePadding);
            foreach (var batch in loader.Batches())
            {
                using var scope = NewDisposeScope();
                using var storedBatch = batch.Inputs;   // made by the loader outside this scope
                using var targetBatch = batch.Targets;
                var (stored, targets) = (storedBatch, targetBatch);
                if (context.Augment is { } augment) (stored, targets) = augment(stored, targets);

                // forward
                var x = context.ModelInput(stored);
                foreach (var hook in _hooks) hook.OnBatchInput(context, x, targets);
                var output = model.call(x);
                var loss = context.LossOf(output, targets);

                // backward, update
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                // log
                step++; epochSteps++;
                double lossValue = loss.item<float>();
                epochLoss += lossValue;
                stepLosses.Add(lossValue);
                validation = null;
                var info = new StepInfo(epoch, step, lossValue, CurrentLearningRate(optimizer), (int)targets.shape[0]);
                if (FirstStop(h => h.OnStepEnd(context, info)) is { } stop) stopReason = stop.Reason;
                bool atLimit = config.MaxSteps is { } max && step >= max;

                // evaluate every few steps when asked to (and at the last step, so the run ends on a measured point); at the
                // step limit the hooks judge that point first, so a budget at its hard cap can say why it did not go on
                if (config.EvaluateValidation && config.EvaluateEverySteps is { } every && (step % every == 0 || stopReason is not null || atLimit))
                    validation = Validate(epoch);
                if (atLimit) stopReason ??= $"reached the step limit ({config.MaxSteps})";
                if (stopReason is not null) break;
            }

            // evaluate on the whole validation split at the epoch's end, unless the step schedule just did
            bool evaluate = config.EvaluateValidation && validation is null &&
                            (config.EvaluateEverySteps is null ? epoch % config.EvaluateEveryEpochs == 0 || epoch == config.Epochs || stopReason is not null
                                                                : epoch == config.Epochs);
            if (evaluate) validation = Validate(epoch);
            var epochInfo = new EpochInfo(epoch, step, epochLoss / Math.Max(epochSteps, 1), validation?.Result);
            epochs.Add(epochInfo);
            if (FirstStop(h => h.OnEpochEnd(context, epochInfo)) is { } epochStop)
                stopReason ??= epochStop.Reason;
        }

        var result = new TrainingResult(stepLosses, epochs, step, stopReason ?? "completed all epochs", clock.Elapsed) { Validations = validations };
        foreach (var hook in _hooks) hook.OnTrainingEnd(context, result);
        return result;
    }

    StopRequest? FirstStop(Func<ITrainingHook, StopRequest?> ask)
    {
        StopRequest? first = null;
        foreach (var hook in _hooks)
        {
            var request = ask(hook); // every hook hears every event, even after one asked to stop
            first ??= request;
        }
        return first;
    }

    static double CurrentLearningRate(optim.Optimizer optimizer) =>
        optimizer.ParamGroups.FirstOrDefault()?.LearningRate ?? double.NaN;
}
