using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A small convnet: two conv-relu-maxpool blocks, then a hidden linear layer. Simple enough that it
/// can hardly be wrong, strong enough to beat a linear model on small images.
/// </summary>
public sealed class SmallCnn : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Sequential _features;
    readonly Linear _hidden;
    readonly Linear _output;

    public SmallCnn(long channels, long height, long width, long outputs, int filters = 16) : base(nameof(SmallCnn))
    {
        _features = Sequential(
            ("conv1", Conv2d(channels, filters, 3, padding: 1)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(filters, 2 * filters, 3, padding: 1)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)));
        _hidden = Linear(2 * filters * (height / 4) * (width / 4), 8 * filters);
        _output = Linear(8 * filters, outputs);
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor x) // (B, C, H, W) -> (B, outputs)
    {
        using var scope = NewDisposeScope();
        var features = _features.call(x).flatten(1);           // (B, 2F * H/4 * W/4)
        var hidden = functional.relu(_hidden.call(features));  // (B, 8F)
        return _output.call(hidden).MoveToOuterDisposeScope(); // (B, outputs)
    }
}
