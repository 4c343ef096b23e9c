using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>What the training targets alone predict: the class (or token) prior and the target mean.</summary>
static class Priors
{
    /// <summary>log of the add-one-smoothed training prior over the model's outputs, shape (outputs).</summary>
    public static Tensor LogPrior(Dataset data) => FinalLayerInit.PriorBias(data.Train, data.Task, ModelFactory.OutputsFor(data));

    /// <summary>Mean cross-entropy of always predicting the prior, over the valid targets of <paramref name="targets"/>.</summary>
    public static double CrossEntropy(Tensor logPrior, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var labels = targets.flatten();
        labels = labels.masked_select(labels.ne(Losses.IgnoreIndex));
        return -logPrior.index_select(0, labels).to_type(float64).mean().item<double>();
    }

    public static (double Mean, double Std) TargetMoments(DataSplit split)
    {
        using var scope = NewDisposeScope();
        var y = split.Targets.to_type(float64);
        return (y.mean().item<double>(), y.numel() > 1 ? y.std().item<double>() : 0);
    }
}
