using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A VGG-style convnet with batch norm (Simonyan &amp; Zisserman 2014; Ioffe &amp; Szegedy 2015): stages of two
/// 3×3 conv → batch norm → ReLU layers, a 2×2 max-pool after each stage, the channels doubling from stage to stage,
/// then global average pooling and one linear layer. The average-pool head needs no hidden linear layer sized to the
/// image, so the same model reads 8×8 and 32×32 inputs, and most parameters sit in the convolutions.
/// With <c>dropout</c> &gt; 0, whole channels are dropped between stages (dropout2d) and pooled features before
/// the output layer. That mixes dropout with batch norm: the next stage's batch norm learns statistics of dropped-out
/// activations in training and sees the full ones in eval mode (the "variance shift" of Li et al. 2019), which can cost
/// more than the dropout buys; <see cref="ModelFactory.UsesBatchNorm"/> lets a stage warn about it.
/// </summary>
public sealed class VggBn : Module<Tensor, Tensor>, IHasOutputLayer
{
    /// <summary>Conv → BN → ReLU layers per stage, as in VGG's early stages.</summary>
    const int LayersPerStage = 2;

    readonly Sequential _features;
    readonly Linear _output;
    readonly Dropout? _headDrop;

    /// <param name="filters">Channels of the first stage (the width knob); stage s has filters · 2^s.</param>
    /// <param name="stages">Stages (the depth knob); a stage pools only while the side is at least 2.</param>
    /// <param name="dropout">Probability of dropping a channel between stages, and a pooled feature before the output layer, in training mode; 0 adds no layer.</param>
    public VggBn(long channels, long height, long width, long outputs, int filters = 16, int stages = 3, double dropout = 0) : base(nameof(VggBn))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stages);
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        long inChannels = channels, side = Math.Min(height, width);
        for (int stage = 0; stage < stages; stage++)
        {
            long outChannels = (long)filters << stage;
            for (int layer = 0; layer < LayersPerStage; layer++)
            {
                string name = $"stage{stage}_{layer}";
                // No conv bias: the batch norm right after subtracts the mean, and its own shift plays the bias's role.
                layers.Add(($"{name}_conv", Conv2d(inChannels, outChannels, 3, padding: 1, bias: false)));
                layers.Add(($"{name}_bn", BatchNorm2d(outChannels)));
                layers.Add(($"{name}_relu", ReLU()));
                inChannels = outChannels;
            }
            if (side >= 2)
            {
                layers.Add(($"stage{stage}_pool", MaxPool2d(2)));
                side /= 2;
            }
            if (dropout > 0 && stage < stages - 1) layers.Add(($"stage{stage}_dropout", Dropout2d(dropout))); // the last stage's output is dropped after pooling
        }
        if (dropout > 0) _headDrop = Dropout(dropout);
        _features = Sequential(layers);
        _output = Linear(inChannels, outputs);
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor x) // (B, C, H, W) -> (B, outputs)
    {
        using var scope = NewDisposeScope();
        var features = _features.call(x);                 // (B, F·2^(S−1), H', W')
        var pooled = features.mean([2, 3]);               // global average pooling: (B, F·2^(S−1))
        if (_headDrop is not null) pooled = _headDrop.call(pooled);
        return _output.call(pooled).MoveToOuterDisposeScope();
    }
}
