using System.Text.Json;
using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Interop;

/// <summary>
/// The input transform a set of image weights was trained with: pixels on a scale (0–1 or 0–255), minus a per-channel
/// mean, over a per-channel std. Pretrained weights are only as good as this transform: ImageNet weights fed
/// inputs normalized with another mean/std (or on the 0–255 scale) see inputs they never saw in training.
/// </summary>
/// <param name="Scale">255 when pixels enter as 0–255 values, 1 when they are divided by 255 first (0–1).</param>
/// <param name="Source">Where the statistics come from ("torchvision ImageNet", "fitted on the training split of …").</param>
public sealed record InputNormalization(double[] Mean, double[] Std, double Scale, string Source)
{
    /// <summary>
    /// After normalizing, each image is averaged over Downsample × Downsample blocks (<see cref="InputDownsampling"/>):
    /// 1 (the default, and what a card or sidecar written before this field means) feeds the image at its stored size.
    /// </summary>
    public int Downsample { get; init; } = 1;

    /// <summary>The statistics torchvision publishes for its ImageNet weights (RGB, 0–1 scale).</summary>
    public static InputNormalization TorchvisionImageNet { get; } =
        new([0.485, 0.456, 0.406], [0.229, 0.224, 0.225], 1, "torchvision ImageNet (published mean/std)");

    /// <summary>What <see cref="InputNormalizer"/> fitted (null for inputs that pass through: tables, tokens).</summary>
    public static InputNormalization? Of(InputNormalizer normalizer, string source)
    {
        if (normalizer.Mean is null || normalizer.Std is null) return null;
        return new InputNormalization(ToDoubles(normalizer.Mean), ToDoubles(normalizer.Std), 1, source);
    }

    static double[] ToDoubles(Tensor t) => t.flatten().to_type(float64).data<double>().ToArray();

    public int Channels => Mean.Length;

    /// <summary>The model input for stored uint8 images (N, C, H, W): (x / (255 / scale) − mean) / std, then averaged over <see cref="Downsample"/>² blocks.</summary>
    public Tensor Apply(Tensor stored)
    {
        using var scope = NewDisposeScope();
        var mean = tensor(Mean.Select(v => (float)v).ToArray()).reshape(1, Channels, 1, 1);
        var std = tensor(Std.Select(v => (float)v).ToArray()).reshape(1, Channels, 1, 1);
        var normalized = stored.to_type(float32).mul_((float)(Scale / 255.0)).sub_(mean).div_(std);
        return InputDownsampling.Apply(normalized, Downsample).MoveToOuterDisposeScope();
    }

    public override string ToString() =>
        $"mean ({string.Join(", ", Mean.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}), " +
        $"std ({string.Join(", ", Std.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}) on the 0–{Scale:G4} scale" +
        (Downsample > 1 ? $", then {Downsample}×{Downsample} average pooling" : "");

    /// <summary>The sidecar that carries a checkpoint's normalization: <c>weights.pt</c> → <c>weights.pt.normalization.json</c>.</summary>
    public static string SidecarOf(string checkpoint) => checkpoint + ".normalization.json";

    public void SaveSidecar(string checkpoint) =>
        File.WriteAllText(SidecarOf(checkpoint), JsonSerializer.Serialize(this, ModelCard.Json));

    /// <summary>The sidecar's normalization, null when there is none; a sidecar that is not one is bad input.</summary>
    public static InputNormalization? LoadSidecar(string checkpoint)
    {
        var path = SidecarOf(checkpoint);
        if (!File.Exists(path)) return null;
        InputNormalization? read;
        try { read = JsonSerializer.Deserialize<InputNormalization>(File.ReadAllText(path), ModelCard.Json); }
        catch (JsonException e) { throw new DataException(path, e.Path ?? "json", $"a normalization sidecar (mean, std, scale, source): {e.Message}"); }
        if (read is null || read.Mean is null || read.Std is null || read.Mean.Length == 0 || read.Mean.Length != read.Std.Length || read.Scale is not (1 or 255) || read.Downsample < 1)
            throw new DataException(path, "json", "mean and std with one value per channel, scale 1 (0–1 pixels) or 255 (0–255 pixels) and a downsample of at least 1");
        return read;
    }
}
