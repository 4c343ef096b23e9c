using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>How a <see cref="ResNet"/> first reduces its input before the residual stages.</summary>
public enum ResNetStem
{
    /// <summary>torchvision's: 7×7 convolution with stride 2, then a 3×3 max-pool with stride 2 (224×224 inputs → 56×56).</summary>
    ImageNet,

    /// <summary>A 3×3 convolution with stride 1 and no pool, for 28×28 or 32×32 inputs that a 4× reduction would wipe out.</summary>
    Small,
}

/// <summary>
/// A residual network of basic blocks in torchvision's layout (He et al. 2015): stem, stages of blocks whose first
/// block may halve the resolution and change the width, global average pool, one linear layer.
/// </summary>
/// <remarks>
/// The parameter and buffer names are torchvision's (<c>conv1</c>, <c>bn1</c>, <c>layer1.0.conv1</c>,
/// <c>layer2.0.downsample.0</c>, <c>fc</c>, ...), so a PyTorch state_dict of torchvision's
/// <c>resnet18</c> maps onto <see cref="ResNet18"/> by name, and Recipe's weights map back the same way.
/// With the ImageNet stem and blocks (2, 2, 2, 2), width 64, it is torchvision's ResNet-18 exactly.
/// With <c>dropout</c> &gt; 0, whole channels are dropped between stages (dropout2d) and pooled features before
/// <c>fc</c>; dropout modules have no parameters, so the state_dict names stay torchvision's. The next stage's batch
/// norms then see dropped-out activations in training only (see <see cref="ModelFactory.UsesBatchNorm"/>).
/// </remarks>
public sealed class ResNet : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly ReLU relu;
    readonly MaxPool2d? maxpool;
    readonly Sequential[] _stages;
    readonly AdaptiveAvgPool2d avgpool;
    readonly Linear fc;
    readonly Dropout2d? _stageDrop;
    readonly Dropout? _headDrop;

    /// <param name="inChannels">Input channels (3 for RGB, 1 for grey).</param>
    /// <param name="outputs">Classes or regression outputs of the final linear layer.</param>
    /// <param name="blocksPerStage">Basic blocks in each stage; (2, 2, 2, 2) is ResNet-18, (3, 4, 6, 3) ResNet-34.</param>
    /// <param name="widths">Channels of each stage (as many as stages); every stage after the first halves the resolution.</param>
    /// <param name="stem">ImageNet stem (4× reduction) or a small 3×3 stem for small images.</param>
    /// <param name="dropout">Probability of dropping a channel between stages, and a pooled feature before <c>fc</c>, in training mode; 0 adds no layer.</param>
    public ResNet(long inChannels, long outputs, IReadOnlyList<int> blocksPerStage, IReadOnlyList<int> widths, ResNetStem stem = ResNetStem.ImageNet, double dropout = 0)
        : base(nameof(ResNet))
    {
        if (blocksPerStage.Count == 0 || blocksPerStage.Count != widths.Count)
            throw new ArgumentException($"a ResNet needs one width per stage: {blocksPerStage.Count} stages, {widths.Count} widths");
        if (blocksPerStage.Any(b => b < 1) || widths.Any(w => w < 1))
            throw new ArgumentException("a ResNet's stages need at least one block and one channel each");

        Stem = stem;
        BlocksPerStage = blocksPerStage.ToArray();
        Widths = widths.ToArray();
        conv1 = stem == ResNetStem.ImageNet
            ? Conv2d(inChannels, widths[0], 7, stride: 2, padding: 3, bias: false)
            : Conv2d(inChannels, widths[0], 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(widths[0]);
        relu = ReLU();
        maxpool = stem == ResNetStem.ImageNet ? MaxPool2d(3, stride: 2, padding: 1) : null;

        _stages = new Sequential[blocksPerStage.Count];
        long channels = widths[0];
        for (int s = 0; s < blocksPerStage.Count; s++)
        {
            var blocks = new Module<Tensor, Tensor>[blocksPerStage[s]];
            for (int b = 0; b < blocks.Length; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                blocks[b] = new BasicBlock(channels, widths[s], stride);
                channels = widths[s];
            }
            _stages[s] = Sequential(blocks);
        }
        avgpool = AdaptiveAvgPool2d(1);
        fc = Linear(channels, outputs);

        // Registered by hand so the names are torchvision's whatever the field names (layer1, layer2, ...).
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("relu", relu);
        if (maxpool is not null) register_module("maxpool", maxpool);
        for (int s = 0; s < _stages.Length; s++) register_module($"layer{s + 1}", _stages[s]);
        register_module("avgpool", avgpool);
        register_module("fc", fc);
        if (dropout > 0)
        {
            // one module each: dropout keeps no state, so every stage can share it
            _stageDrop = Dropout2d(dropout);
            _headDrop = Dropout(dropout);
            register_module("stage_dropout", _stageDrop);
            register_module("head_dropout", _headDrop);
        }
        InitializeLikeTorchvision();
    }

    /// <summary>torchvision's ResNet-18: ImageNet stem, blocks (2, 2, 2, 2), widths 64-128-256-512.</summary>
    public static ResNet ResNet18(long outputs = 1000, long inChannels = 3) =>
        new(inChannels, outputs, [2, 2, 2, 2], [64, 128, 256, 512], ResNetStem.ImageNet);

    /// <summary>
    /// A ResNet for images of the given size: four stages of widths w, 2w, 4w, 8w and <paramref name="blocksPerStage"/>
    /// blocks each; the ImageNet stem for large images (≥ 112 pixels a side), the small stem otherwise.
    /// </summary>
    public static ResNet ForImages(long channels, long height, long width, long outputs, int firstWidth, int blocksPerStage = 2, double dropout = 0)
    {
        var stem = Math.Min(height, width) >= 112 ? ResNetStem.ImageNet : ResNetStem.Small;
        int[] widths = [firstWidth, 2 * firstWidth, 4 * firstWidth, 8 * firstWidth];
        return new ResNet(channels, outputs, Enumerable.Repeat(blocksPerStage, widths.Length).ToArray(), widths, stem, dropout);
    }

    public ResNetStem Stem { get; }
    public IReadOnlyList<int> BlocksPerStage { get; }
    public IReadOnlyList<int> Widths { get; }
    public Linear Output => fc;

    public override Tensor forward(Tensor x) // (B, C, H, W) -> (B, outputs)
    {
        using var scope = NewDisposeScope();
        var h = relu.call(bn1.call(conv1.call(x)));
        if (maxpool is not null) h = maxpool.call(h);
        for (int s = 0; s < _stages.Length; s++)
        {
            h = _stages[s].call(h);
            if (_stageDrop is not null && s < _stages.Length - 1) h = _stageDrop.call(h); // the last stage's output is dropped after pooling
        }
        var pooled = avgpool.call(h).flatten(1);
        if (_headDrop is not null) pooled = _headDrop.call(pooled);
        return fc.call(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision's initialization: He-normal (fan-out) convolutions, batch norms at scale 1 and shift 0 (its default
    /// zero_init_residual=False), the linear layer at PyTorch's default.
    /// </summary>
    void InitializeLikeTorchvision()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    init.kaiming_normal_(conv.weight!, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d bn:
                    bn.weight!.fill_(1);
                    bn.bias!.fill_(0);
                    break;
            }
        }
    }

    /// <summary>
    /// Two 3×3 convolutions with batch norm, added to the block's input; when the block changes the resolution or the
    /// width, the input goes through a 1×1 convolution and batch norm (<c>downsample</c>) first.
    /// </summary>
    sealed class BasicBlock : Module<Tensor, Tensor>
    {
        readonly Conv2d conv1;
        readonly BatchNorm2d bn1;
        readonly ReLU relu;
        readonly Conv2d conv2;
        readonly BatchNorm2d bn2;
        readonly Sequential? downsample;

        public BasicBlock(long inChannels, long outChannels, long stride) : base(nameof(BasicBlock))
        {
            conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(outChannels);
            relu = ReLU();
            conv2 = Conv2d(outChannels, outChannels, 3, stride: 1, padding: 1, bias: false);
            bn2 = BatchNorm2d(outChannels);
            if (stride != 1 || inChannels != outChannels)
                downsample = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
            register_module("conv1", conv1);
            register_module("bn1", bn1);
            register_module("relu", relu);
            register_module("conv2", conv2);
            register_module("bn2", bn2);
            if (downsample is not null) register_module("downsample", downsample);
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = relu.call(bn1.call(conv1.call(x)));
            h = bn2.call(conv2.call(h));
            var shortcut = downsample is null ? x : downsample.call(x);
            return relu.call(h + shortcut).MoveToOuterDisposeScope();
        }
    }
}
