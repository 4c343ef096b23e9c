using Recipe.Models;
using static TorchSharp.torch;

namespace Recipe.Bench;

/// <summary>
/// A model the training benchmark times, with how many steps it warms up and then times: about a
/// second per run, so that many short interleaved rounds average out the machine's load. Warm-up plus
/// timed steps stay within one epoch of 60,000 images at batch 128 (469 steps), so no variant pays
/// for an end-of-epoch evaluation inside the timed window. pytorch_steps.py builds the same functions
/// (for the CNN, the textbook layer stack that SmallCnn computes faster).
/// </summary>
public sealed record BenchModel(string Name, string Description, Func<nn.Module<Tensor, Tensor>> Create, int WarmupSteps, int TimedSteps)
{
    public const int BatchSize = 128;
    public const double LearningRate = 3e-4;

    public static IReadOnlyList<BenchModel> For(BenchOptions options) =>
    [
        new("mlp", "MLP 784-128-10", () => new Mlp(784, [128], 10), WarmupSteps: 20, TimedSteps: options.Quick ? 50 : 440),
        new("cnn", "SmallCnn (16, 32 filters)", () => new SmallCnn(1, 28, 28, 10, filters: 16), WarmupSteps: 3, TimedSteps: options.Quick ? 5 : 30),
    ];
}
