using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Bench;

/// <summary>
/// The textbook layer order SmallCnn computes (conv → ReLU → max-pool twice, NCHW throughout), as
/// pytorch_steps.py builds it: the "before" of SmallCnn's pool-first, channels-last forward.
/// </summary>
public static class TextbookCnn
{
    public static Sequential Create(long channels, long height, long width, long outputs, int filters = 16) => Sequential(
        ("conv1", Conv2d(channels, filters, 3, padding: 1)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(filters, 2 * filters, 3, padding: 1)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
        ("flatten", Flatten()),
        ("hidden", Linear(2 * filters * (height / 4) * (width / 4), 8 * filters)), ("relu3", ReLU()),
        ("output", Linear(8 * filters, outputs)));
}
