using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>What the loop trains, on what, and how: handed to every hook.</summary>
public sealed record TrainingContext(
    nn.Module<Tensor, Tensor> Model,
    Dataset Data,
    InputNormalizer Normalizer,
    optim.Optimizer Optimizer,
    TrainingConfig Config);
