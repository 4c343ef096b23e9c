using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>A loss: the model's output and the targets of a batch in, one scalar (the mean over the batch) out.</summary>
public delegate Tensor LossFunction(Tensor output, Tensor targets);

/// <summary>
/// A data augmentation: a batch of stored inputs and its targets in, the augmented batch out. It runs on
/// training batches only, before the input transform; randomness should come from torch's generator, which
/// the seed controls.
/// </summary>
public delegate (Tensor Inputs, Tensor Targets) Augmentation(Tensor inputs, Tensor targets);

/// <summary>What the loop trains, on what, and how: handed to every hook.</summary>
public sealed record TrainingContext(
    nn.Module<Tensor, Tensor> Model,
    Dataset Data,
    InputNormalizer Normalizer,
    optim.Optimizer Optimizer,
    TrainingConfig Config)
{
    /// <summary>The training loss; null means the task's standard loss (<see cref="Losses.For"/>).</summary>
    public LossFunction? Loss { get; init; }

    /// <summary>Stored batch → the tensor that enters model(x); null means <see cref="Normalizer"/>.Apply.</summary>
    public Func<Tensor, Tensor>? Transform { get; init; }

    /// <summary>Applied to every training batch before the transform; null means no augmentation.</summary>
    public Augmentation? Augment { get; init; }

    /// <summary>Train on this split instead of <see cref="Dataset.Train"/> (e.g. a single batch to overfit).</summary>
    public DataSplit? TrainSplit { get; init; }

    /// <summary>The split the loop draws its batches from.</summary>
    public DataSplit Training => TrainSplit ?? Data.Train;

    /// <summary>The tensor that enters model(x) for a batch of stored inputs.</summary>
    public Tensor ModelInput(Tensor stored) => Transform?.Invoke(stored) ?? Normalizer.Apply(stored);

    /// <summary>The training loss of a batch.</summary>
    public Tensor LossOf(Tensor output, Tensor targets) => Loss?.Invoke(output, targets) ?? Losses.For(Data.Task, output, targets);
}
