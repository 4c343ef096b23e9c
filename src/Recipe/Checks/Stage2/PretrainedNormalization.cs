using Recipe.Interop;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Part of inputs-at-the-door for pretrained weights: the pipeline's transform must be the one the weights were
/// trained with (same scale, same per-channel mean and std). The recipe's "wrong normalization for pretrained
/// weights" bug: data-fitted statistics, another dataset's, or 0–255 pixels where the weights saw 0–1, give inputs
/// whose statistics can look perfectly sane while the weights see values they never saw in training.
/// </summary>
public static class PretrainedNormalization
{
    /// <summary>
    /// The two transforms, applied to the same stored pixels, may differ by less than half a grey level (the data's own
    /// quantization step): any real disagreement in mean, std or scale moves some pixel further than that.
    /// </summary>
    public static readonly Condition Agrees = Condition.AtMost("largest gap between the transform and the pretrained weights' normalization (grey levels)", 0.5);

    /// <summary>Tests the pipeline's transform against <see cref="Pipeline.PretrainedInput"/>; returns a finding to append ("" when there is nothing to compare).</summary>
    public static string Test(CheckContext context, Evidence evidence)
    {
        if (context.Pipeline.PretrainedInput is not { } expected) return "";
        var stored = context.TrainProbe.Inputs;
        if (stored.dtype != uint8 || stored.dim() != 4)
        {
            evidence.Note($"Pretrained weights normalized with {expected} ({expected.Source}), but the stored inputs are not images: not compared.");
            return "";
        }
        long channels = stored.shape[1];
        if (channels != expected.Channels)
        {
            evidence.Test(Agrees, double.PositiveInfinity);
            return $"; the pretrained weights were trained on {expected.Channels}-channel images, the data has {channels}";
        }
        using var scope = NewDisposeScope();
        var actual = context.Pipeline.Transform(stored).to_type(float64);
        var wanted = expected.Apply(stored).to_type(float64);
        if (actual.numel() != wanted.numel())
        {
            evidence.Test(Agrees, double.PositiveInfinity);
            return $"; the transform gives {actual.numel()} values per batch where the pretrained weights' normalization gives {wanted.numel()}";
        }
        // A gap in model-input units, times the weights' std, is a gap in pixels on their scale: in 0–255 grey levels.
        var levelsPerUnit = tensor(expected.Std.Select(s => s * 255 / expected.Scale).ToArray()).reshape(1, channels, 1, 1);
        double gap = actual.reshape(wanted.shape).sub(wanted).abs().mul(levelsPerUnit).max().item<double>();
        evidence.Number("pretrained_normalization_gap_grey_levels", gap);
        evidence.Note($"Pretrained weights expect {expected} ({expected.Source}).");
        return evidence.Test(Agrees, gap) ? ""
            : $"; the transform is not the pretrained weights' normalization ({expected}): inputs differ by up to {gap:G3} grey levels";
    }
}
