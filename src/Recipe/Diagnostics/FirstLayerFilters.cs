using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Diagnostics;

/// <summary>
/// The first convolution's filters as small images, each stretched on its own to [0, 1] around zero (mid-grey = 0),
/// so edges and blobs (a trained net) or noise (an untrained or broken one) show. Null for models without a 2-D
/// convolution.
/// </summary>
public static class FirstLayerFilters
{
    /// <summary>(filters × channels shown, 1 or 3, kh, kw) floats in [0, 1]; RGB when the input has 3 channels, else one image per (filter, channel).</summary>
    public static Tensor? Images(nn.Module<Tensor, Tensor> model)
    {
        var conv = model.modules().OfType<Conv2d>().FirstOrDefault();
        if (conv is null) return null;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weight = conv.weight!.detach().to_type(float32);                        // (F, C, kh, kw)
        long filters = weight.shape[0], channels = weight.shape[1];
        var images = channels == 3 ? weight : weight.reshape(filters * channels, 1, weight.shape[2], weight.shape[3]);
        var reach = images.abs().amax([1, 2, 3], keepdim: true).clamp_min(1e-12);
        return images.div(reach).mul(0.5).add(0.5).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// How alike neighbouring weights are: the cosine between each filter and itself shifted by one pixel, averaged
    /// over the horizontal and vertical shifts and over the filters. Independent random weights give ≈0; edges (alike
    /// along the edge) and blobs (alike everywhere) give clearly more.
    /// </summary>
    public static double? Smoothness(nn.Module<Tensor, Tensor> model)
    {
        var conv = model.modules().OfType<Conv2d>().FirstOrDefault();
        if (conv is null || conv.weight!.shape[2] < 2 || conv.weight!.shape[3] < 2) return null;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = conv.weight!.detach().to_type(float32).flatten(0, 1);              // (F·C, kh, kw)
        Tensor Cosine(int dim)
        {
            var first = w.narrow(dim, 0, w.shape[dim] - 1).flatten(1);
            var second = w.narrow(dim, 1, w.shape[dim] - 1).flatten(1);
            return first.mul(second).sum(1).div(first.pow(2).sum(1).sqrt().mul(second.pow(2).sum(1).sqrt()).clamp_min(1e-12));
        }
        return Cosine(2).add(Cosine(1)).div(2).mean().item<float>();
    }
}
