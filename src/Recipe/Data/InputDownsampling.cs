using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// The recipe's "smaller input": each image averaged over f×f blocks before it enters the model. When the label lives
/// in coarse structure, the finest pixels carry mostly noise a model with few examples can memorise; averaging takes
/// that noise away (and a quarter of the compute) without a single parameter, while a label that lives in pixel-level
/// detail is destroyed with it — which is why it is an experiment, not a default.
/// </summary>
public static class InputDownsampling
{
    /// <summary>The (N, C, H, W) model inputs averaged over non-overlapping f×f blocks: (N, C, H/f, W/f), a last odd row or column dropped.</summary>
    public static Tensor Apply(Tensor images, int factor) =>
        factor == 1 ? images.alias() : nn.functional.avg_pool2d(images, factor, stride: factor);

    /// <summary>One example's (C, H, W) shape after <see cref="Apply"/>.</summary>
    public static long[] ShapeOf(long[] example, int factor) =>
        factor == 1 ? example : [example[0], example[1] / factor, example[2] / factor];
}
