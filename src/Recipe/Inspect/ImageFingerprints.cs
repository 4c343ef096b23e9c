using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>
/// What near-duplicate search compares: each gray image with its background (the border median)
/// removed, resampled to S×S and lightly blurred by one fixed linear map per axis (two matrix
/// products), then divided by its own standard deviation. Removing the background and dividing by the
/// deviation make a change of brightness or contrast vanish; the blur removes pixel noise.
/// Filled a chunk at a time (<see cref="GrayChunks"/>) with whole-chunk tensor ops.
/// </summary>
public sealed class ImageFingerprints : IDisposable
{
    /// <summary>Below this standard deviation (0..255 scale, after blurring) an image has no content to compare.</summary>
    public const double MinContrast = 2.0;

    readonly Tensor _rows, _columnsT;   // (S, H) and (W, S): resample and blur each axis

    ImageFingerprints(int count, long height, long width, NearDuplicateOptions options)
    {
        int size = options.WorkSize;
        _rows = AxisMap((int)height, size, options.BlurSigma);
        _columnsT = AxisMap((int)width, size, options.BlurSigma).t().contiguous();
        Normalized = zeros(count, size, size);
        Valid = new bool[count];
    }

    /// <summary>(N, S, S) float32: background removed, resampled, blurred, divided by the standard deviation.</summary>
    public Tensor Normalized { get; }
    /// <summary>False for images without contrast (blank): they are never near duplicates of anything.</summary>
    public bool[] Valid { get; }
    public int Count => Valid.Length;

    /// <summary>Fingerprints to be filled by <see cref="Add"/> for <paramref name="count"/> images of height × width pixels.</summary>
    public static ImageFingerprints Empty(int count, long height, long width, NearDuplicateOptions options) => new(count, height, width, options);

    public static ImageFingerprints Compute(ExampleNumbering numbering, NearDuplicateOptions options)
    {
        var shape = numbering.Splits.First(s => s.Count > 0).Inputs.shape;
        var fingerprints = Empty(numbering.Count, shape[2], shape[3], options);
        GrayChunks.ForEach(numbering, fingerprints.Add);
        return fingerprints;
    }

    /// <summary>Fingerprints a chunk of gray images (N, H, W), 0..255, whose first global number is <paramref name="start"/>.</summary>
    public void Add(int start, Tensor gray)
    {
        long n = gray.shape[0], h = gray.shape[1], w = gray.shape[2];
        long size = _rows.shape[0];
        var content = gray - ImageStatistics.BorderMedian(gray).view(n, 1, 1);          // (N, H, W), background 0
        var x = content.reshape(n * h, w).matmul(_columnsT).view(n, h, size);            // (N, H, S)
        x = x.transpose(1, 2).reshape(n * size, h).matmul(_rows.t()).view(n, size, size).transpose(1, 2); // (N, S, S)
        var std = x.std([1, 2], unbiased: false, keepdim: true);
        var valid = std.view(n) > MinContrast;
        Normalized.narrow(0, start, n).copy_(x / std.clamp_min(MinContrast) * valid.view(n, 1, 1));
        TensorCopy.ToArray<bool>(valid).CopyTo(Valid, start);
    }

    /// <summary>
    /// The (outSize, inSize) matrix that resamples one axis (triangle filter, widened when shrinking so
    /// every input pixel counts) and then blurs it with a Gaussian of <paramref name="sigma"/> output
    /// pixels (edges replicated). Every row sums to 1; same size and no blur gives the identity.
    /// </summary>
    public static Tensor AxisMap(int inSize, int outSize, double sigma)
    {
        var resample = new double[outSize, inSize];
        double scale = (double)inSize / outSize, support = Math.Max(1.0, scale);
        for (int i = 0; i < outSize; i++)
        {
            double centre = (i + 0.5) * scale - 0.5, total = 0;
            for (int j = 0; j < inSize; j++) total += resample[i, j] = Math.Max(0, 1 - Math.Abs(j - centre) / support);
            if (total == 0) resample[i, Math.Clamp((int)Math.Round(centre), 0, inSize - 1)] = total = 1;
            for (int j = 0; j < inSize; j++) resample[i, j] /= total;
        }
        int radius = sigma <= 0 ? 0 : (int)Math.Ceiling(3 * sigma);
        var gaussian = Enumerable.Range(-radius, 2 * radius + 1).Select(t => radius == 0 ? 1 : Math.Exp(-t * t / (2 * sigma * sigma))).ToArray();
        double sum = gaussian.Sum();
        var map = new float[outSize * inSize];
        for (int i = 0; i < outSize; i++)
            for (int t = -radius; t <= radius; t++)
            {
                int k = Math.Clamp(i + t, 0, outSize - 1);
                double g = gaussian[t + radius] / sum;
                for (int j = 0; j < inSize; j++) map[i * inSize + j] += (float)(g * resample[k, j]);
            }
        return tensor(map).view(outSize, inSize);
    }

    public void Dispose()
    {
        Normalized.Dispose();
        _rows.Dispose();
        _columnsT.Dispose();
    }
}
