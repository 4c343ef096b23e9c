using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>A metric over a whole split: the mean loss and, for classes and tokens, the accuracy.</summary>
public sealed record EvaluationResult(string Split, int Examples, double Loss, double? Accuracy);

/// <summary>
/// Evaluates a model over every example of a split (never a sample, never a smoothed batch average),
/// in eval mode and without gradients.
/// </summary>
public static class Evaluation
{
    public static EvaluationResult Run(nn.Module<Tensor, Tensor> model, DataSplit split, TaskKind task, InputNormalizer normalizer, int batchSize = 1000) =>
        Run(model, split, task, normalizer.Apply, (output, targets) => Losses.For(task, output, targets), batchSize);

    /// <summary>Evaluates with any input transform (stored batch → model input) and any mean loss.</summary>
    public static EvaluationResult Run(nn.Module<Tensor, Tensor> model, DataSplit split, TaskKind task, Func<Tensor, Tensor> transform, LossFunction loss, int batchSize = 1000)
    {
        using var _ = EvalMode.Of(model);
        double lossSum = 0, weightSum = 0, correct = 0, counted = 0;
        using (no_grad())
        {
            foreach (var batch in new BatchLoader(split, batchSize, shuffle: false).Batches())
            {
                using var scope = NewDisposeScope();
                using var inputs = batch.Inputs;
                using var targets = batch.Targets;
                var output = model.call(transform(inputs));
                var weight = task == TaskKind.Sequence ? targets.ne(Losses.IgnoreIndex).sum().item<long>() : targets.shape[0];
                lossSum += loss(output, targets).item<float>() * weight;
                weightSum += weight;
                if (task != TaskKind.Regression)
                {
                    var predicted = output.argmax(-1);
                    var valid = targets.ne(Losses.IgnoreIndex);
                    correct += predicted.eq(targets).logical_and(valid).sum().item<long>();
                    counted += valid.sum().item<long>();
                }
            }
        }
        return new EvaluationResult(split.Name, split.Count, lossSum / Math.Max(weightSum, 1), task == TaskKind.Regression ? null : correct / Math.Max(counted, 1));
    }
}
