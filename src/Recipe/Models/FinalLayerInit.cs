using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Models;

/// <summary>
/// "Init well": sets the final layer's bias from the training targets so that the untrained model
/// already predicts their prior (log class frequencies for classes and tokens, the mean for regression).
/// The first steps are then not spent learning the bias, which removes the "hockey stick" loss curve.
/// </summary>
public static class FinalLayerInit
{
    /// <summary>Sets <paramref name="model"/>'s output bias from <paramref name="data"/>'s training targets.</summary>
    public static void FromTargets(IHasOutputLayer model, Dataset data)
    {
        var bias = model.Output.bias ?? throw new ArgumentException("the output layer has no bias to initialize");
        using var prior = PriorBias(data.Train, data.Task, bias.shape[0]);
        using (no_grad())
        {
            bias.copy_(prior);
            // A regression output starts near the mean: default weights would add their own random spread (about a quarter
            // of the standardized targets' variance for an MLP) to the loss at init, which is noise the net must unlearn first.
            // A sequence model's output reads a residual stream (conv, transformer) or a recurrent state whose spread is not
            // the unit spread a classifier's hidden layer has; small weights keep its untrained logits at the prior too.
            if (data.Task is TaskKind.Regression or TaskKind.Sequence) model.Output.weight!.mul_(OutputWeightScale);
        }
    }

    /// <summary>
    /// Factor on a regression or sequence output layer's default weights: small, not zero, so gradients still reach the
    /// layers below. Measured on words with every sequence model of the zoo (tests/Recipe.Tests/Models/SequenceZooTests).
    /// </summary>
    public const float OutputWeightScale = 0.1f;

    /// <summary>
    /// The bias that makes a model with near-zero weights predict the targets' prior, shape (outputs):
    /// log of add-one-smoothed frequencies (classes, tokens; ignored positions skipped) or the mean (regression).
    /// </summary>
    public static Tensor PriorBias(DataSplit train, TaskKind task, long outputs)
    {
        using var scope = NewDisposeScope();
        if (task == TaskKind.Regression)
            return full(outputs, train.Targets.to_type(float32).mean().item<float>()).MoveToOuterDisposeScope();
        var labels = train.Targets.flatten();
        labels = labels.masked_select(labels.ge(0));
        var counts = labels.bincount(null, minlength: outputs).to_type(float64).narrow(0, 0, outputs) + 1;
        return (counts / counts.sum()).log().to_type(float32).MoveToOuterDisposeScope();
    }
}
