using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// What a float tensor entering model(x) is, decided from the data it came from, not from its rank alone: image
/// channels (also when the transform flattened the images for an MLP), a table's features, an indicator encoding
/// (one-hot tokens, windows of one-hot characters: only 0 and 1, not standardized by design), or values with no
/// known structure (judged as one channel). Each kind groups the values into the "channels" whose mean and std the
/// normalization rules judge.
/// </summary>
public sealed record ModelInputLayout(ModelInputLayout.Kind Is, string Description)
{
    public enum Kind
    {
        /// <summary>Channels of images or signals: statistics per channel over examples and positions.</summary>
        Channels,
        /// <summary>A table's columns: statistics per feature (indicator and constant columns aside).</summary>
        Features,
        /// <summary>Only 0 and 1 (one-hot, masks): no normalization rules apply.</summary>
        Indicators,
        /// <summary>No structure Recipe knows: one channel of all values.</summary>
        Values,
    }

    /// <summary>The layout of <paramref name="x"/> (N, ...), a batch that came from <paramref name="data"/>'s stored inputs.</summary>
    public static ModelInputLayout Of(Dataset data, Tensor x)
    {
        long n = Math.Max(1, x.shape[0]);
        long perExample = x.numel() / n;
        long stored = data.ExampleShape.Aggregate(1L, (a, b) => a * b);
        if (IsIndicators(x)) return new(Kind.Indicators, "an indicator encoding (only 0 and 1, e.g. one-hot): not standardized by design");
        if (data.Task != TaskKind.Sequence && data.ExampleShape.Length >= 2)
        {
            long channels = data.ExampleShape[0];
            if (x.dim() >= 3 && x.shape[1] == channels) return new(Kind.Channels, $"{channels} channel(s), as stored");
            if (perExample == stored)
                return new(Kind.Channels, $"the stored ({string.Join(", ", data.ExampleShape)}) examples reshaped by the transform: statistics per stored channel");
        }
        if (data.Task != TaskKind.Sequence && data.ExampleShape.Length == 1 && x.dim() == 2)
            return new(Kind.Features, $"a table of {x.shape[1]} features");
        if (data.Task != TaskKind.Sequence && x.dim() == 4)
            return new(Kind.Channels, $"{x.shape[1]} channel(s) made by the transform");
        return new(Kind.Values, "values with no per-channel structure Recipe knows: judged as one channel");
    }

    /// <summary>The values grouped by channel, shape (channels, values): per channel, per feature, or all in one row.</summary>
    public Tensor Grouped(Dataset data, Tensor x)
    {
        long n = x.shape[0];
        return Is switch
        {
            Kind.Features => x.t(),
            Kind.Channels when x.dim() >= 3 && data.ExampleShape.Length >= 2 && x.shape[1] == data.ExampleShape[0] => x.transpose(0, 1).reshape(x.shape[1], -1),
            Kind.Channels when data.ExampleShape.Length >= 2 && x.numel() == n * data.ExampleShape.Aggregate(1L, (a, b) => a * b) =>
                x.reshape(n, data.ExampleShape[0], -1).transpose(0, 1).reshape(data.ExampleShape[0], -1),
            Kind.Channels => x.transpose(0, 1).reshape(x.shape[1], -1),
            _ => x.flatten().unsqueeze(0),
        };
    }

    static bool IsIndicators(Tensor x)
    {
        using var scope = NewDisposeScope();
        return x.numel() > 0 && x.eq(0).logical_or(x.eq(1)).all().item<bool>();
    }
}
