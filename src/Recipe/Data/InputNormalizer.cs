using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// Turns stored inputs into what enters the model. Images: uint8 → float in [0, 1] → minus the
/// per-channel training mean, over the training std. Tables are already standardized; token ids pass
/// through. The statistics come from the training split only.
/// </summary>
public sealed class InputNormalizer : IDisposable
{
    InputNormalizer(Tensor? mean, Tensor? std) { Mean = mean; Std = std; }

    /// <summary>Per-channel mean, shape (1, C, 1, 1), or null when inputs pass through.</summary>
    public Tensor? Mean { get; }
    public Tensor? Std { get; }

    public static InputNormalizer Identity() => new(null, null);

    public static InputNormalizer FitTo(Dataset data)
    {
        if (data.Train.Inputs.dtype != uint8) return Identity();
        using var scope = torch.NewDisposeScope();
        var x = data.Train.Inputs.to_type(float32).div_(255f); // (N, C, H, W)
        var mean = x.mean([0, 2, 3], keepdim: true);
        var std = x.std([0, 2, 3], keepdim: true).clamp_min(1e-6);
        return new InputNormalizer(mean.MoveToOuterDisposeScope(), std.MoveToOuterDisposeScope());
    }

    /// <summary>The tensor that enters model(x), from a batch of stored inputs.</summary>
    public Tensor Apply(Tensor stored)
    {
        if (stored.dtype != uint8 || Mean is null || Std is null) return stored.dtype == int64 ? stored.alias() : stored.to_type(float32);
        return stored.to_type(float32).div_(255f).sub_(Mean).div_(Std);
    }

    /// <summary>Undoes <see cref="Apply"/> for images, back to [0, 1] floats (for pictures of model inputs).</summary>
    public Tensor Invert(Tensor modelInput) =>
        Mean is null || Std is null ? modelInput.alias() : modelInput.mul(Std).add(Mean);

    public void Dispose()
    {
        Mean?.Dispose();
        Std?.Dispose();
    }
}
