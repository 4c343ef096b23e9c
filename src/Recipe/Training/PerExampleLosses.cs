using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>
/// The loss of every example of a split, one number each (in eval mode, without gradients): what two models are
/// compared on when the question is whether one is better than the other by more than the split's own noise.
/// </summary>
public static class PerExampleLosses
{
    public static double[] Of(nn.Module<Tensor, Tensor> model, DataSplit split, TaskKind task, Func<Tensor, Tensor> transform, int batchSize = 1000)
    {
        bool wasTraining = model.training;
        model.eval();
        var losses = new List<double>(split.Count);
        using (no_grad())
        {
            foreach (var batch in new BatchLoader(split, batchSize, shuffle: false).Batches())
            {
                using var scope = NewDisposeScope();
                using var inputs = batch.Inputs;
                using var targets = batch.Targets;
                var perExample = Losses.PerExample(task, model.call(transform(inputs)), targets);
                losses.AddRange(perExample.to_type(float64).data<double>().ToArray());
            }
        }
        if (wasTraining) model.train();
        return [.. losses];
    }
}
