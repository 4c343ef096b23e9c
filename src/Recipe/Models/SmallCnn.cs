using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A small convnet: two conv → max-pool → ReLU blocks, then a hidden linear layer. Simple enough that
/// it can hardly be wrong, strong enough to beat a linear model on small images. With global pooling ("cnngap" in the
/// zoo, stage 4's smaller model) the hidden layer reads each channel's mean over the image instead of every pixel of
/// every channel: its weights shrink by the image's area / 16, and a feature counts the same wherever it is.
/// </summary>
/// <remarks>
/// It computes exactly the textbook conv → ReLU → max-pool stack (pytorch_steps.py builds that one),
/// in an order and memory layout that make a training step's forward and backward about 1.8× faster on
/// a CPU (bench `cnn-layout`):
/// <list type="bullet">
/// <item>Max-pool before ReLU: ReLU is monotone, so max(relu(a), relu(b)) = relu(max(a, b)), and the
/// gradient reaches the same element (the window's largest, when it is positive; nothing otherwise).
/// ReLU then touches 4× fewer values.</item>
/// <item>Channels-last activations: libtorch's max-pool kernel for NCHW tensors is scalar code
/// (≈11 ms for a 128×16×28×28 batch on one thread, as long as the convolution itself), its
/// channels-last kernel is vectorized (≈1.5 ms). Only the input is copied to channels-last (it has few
/// channels); oneDNN's convolutions then take and give channels-last tensors, the pools and ReLUs keep
/// the layout, and the backward pass needs no layout copies either. Tensor shapes and the flatten
/// order stay NCHW, so weights and checkpoints are the usual ones.</item>
/// </list>
/// <para>With <c>dropout</c> &gt; 0, whole channels of each conv block's output are dropped (dropout2d: neighbouring
/// pixels of a feature map are strongly correlated, so dropping single pixels barely regularizes) and the hidden layer's
/// units are dropped before the output layer.</para>
/// </remarks>
public sealed class SmallCnn : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Conv2d _conv1;
    readonly MaxPool2d _pool1;
    readonly ReLU _relu1;
    readonly Conv2d _conv2;
    readonly MaxPool2d _pool2;
    readonly ReLU _relu2;
    readonly Linear _hidden;
    readonly ReLU _relu3;
    readonly Linear _output;
    readonly Dropout2d? _channelDrop1;
    readonly Dropout2d? _channelDrop2;
    readonly Dropout? _hiddenDrop;
    readonly bool _globalPool;

    /// <param name="dropout">Probability of dropping a channel of each conv block, and a unit of the hidden layer, in training mode; 0 adds no layer.</param>
    /// <param name="globalPool">Average each channel of the last block over the image before the hidden layer, instead of flattening it.</param>
    public SmallCnn(long channels, long height, long width, long outputs, int filters = 16, double dropout = 0, bool globalPool = false) : base(nameof(SmallCnn))
    {
        _globalPool = globalPool;
        if (dropout > 0)
        {
            _channelDrop1 = Dropout2d(dropout);
            _channelDrop2 = Dropout2d(dropout);
            _hiddenDrop = Dropout(dropout);
        }
        _conv1 = Conv2d(channels, filters, 3, padding: 1);
        _pool1 = MaxPool2d(2);
        _relu1 = ReLU();
        _conv2 = Conv2d(filters, 2 * filters, 3, padding: 1);
        _pool2 = MaxPool2d(2);
        _relu2 = ReLU();
        _hidden = Linear(globalPool ? 2 * filters : 2 * filters * (height / 4) * (width / 4), 8 * filters);
        _relu3 = ReLU();
        _output = Linear(8 * filters, outputs);
        RegisterComponents();
    }

    public Linear Output => _output;

    /// <summary>The smallest image side it takes: two 2×2 max-pools before the hidden layer leave it no pixel below 4.</summary>
    public const long SmallestSide = 4;

    public override Tensor forward(Tensor x) // (B, C, H, W) -> (B, outputs)
    {
        using var scope = NewDisposeScope();
        var block1 = _relu1.call(_pool1.call(_conv1.call(ChannelsLast(x)))); // (B, F, H/2, W/2), channels-last
        if (_channelDrop1 is not null) block1 = _channelDrop1.call(block1);
        var block2 = _relu2.call(_pool2.call(_conv2.call(block1)));           // (B, 2F, H/4, W/4), channels-last
        if (_channelDrop2 is not null) block2 = _channelDrop2.call(block2);
        var features = _globalPool ? block2.mean([2, 3]) : block2.flatten(1);  // (B, 2F) or (B, 2F·H/4·W/4); flatten reads NCHW order
        var hidden = _relu3.call(_hidden.call(features));                      // (B, 8F)
        if (_hiddenDrop is not null) hidden = _hiddenDrop.call(hidden);
        return _output.call(hidden).MoveToOuterDisposeScope();                 // (B, outputs)
    }

    /// <summary>
    /// The same (B, C, H, W) tensor stored channels-last (NHWC). TorchSharp has no
    /// <c>contiguous(memory_format)</c>; permute → contiguous gives the memory, and the explicit strides
    /// make libtorch see it as channels-last even with one channel, where the strides of a plain
    /// permute back are ambiguous and it would fall back to NCHW.
    /// </summary>
    static Tensor ChannelsLast(Tensor x)
    {
        long batch = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3];
        return x.permute(0, 2, 3, 1).contiguous()
            .as_strided([batch, channels, height, width], [height * width * channels, 1, width * channels, channels]);
    }
}
