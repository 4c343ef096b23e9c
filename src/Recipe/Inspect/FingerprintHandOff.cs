using System.Security.Cryptography;
using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>
/// Stage 1's image fingerprints kept for stage 2 of the same `recipe run`: split-integrity's near-copy search needs the
/// fingerprints of the same images with the same settings, and computing them again is about a third of its time on
/// Fashion-MNIST. Stage 1 reads its own copy of the data, so the fingerprints are kept under a key of the images' bytes
/// and the fingerprint settings, and stage 2 takes them only when its own splits give the same key (a provider's
/// different data, or another scale, computes its own). Taking them passes ownership; whatever is left is freed on
/// <see cref="Clear"/> or <see cref="Dispose"/>.
/// </summary>
public sealed class FingerprintHandOff : IDisposable
{
    ImageFingerprints? _kept;
    string? _key;

    /// <summary>True while fingerprints wait to be taken.</summary>
    public bool Holding => _kept is not null;

    /// <summary>Keeps <paramref name="fingerprints"/> (of <paramref name="splits"/>' images, in their order) and takes ownership of them.</summary>
    public void Keep(IReadOnlyList<DataSplit> splits, NearDuplicateOptions options, ImageFingerprints fingerprints)
    {
        Clear();
        var key = Key(splits, options);
        if (key is null)
        {
            fingerprints.Dispose();
            return;
        }
        (_kept, _key) = (fingerprints, key);
    }

    /// <summary>The kept fingerprints when they are of these splits' images with these settings (the caller owns them then), else null.</summary>
    public ImageFingerprints? Take(IReadOnlyList<DataSplit> splits, NearDuplicateOptions options)
    {
        if (_kept is null || Key(splits, options) != _key) return null;
        var taken = _kept;
        (_kept, _key) = (null, null);
        return taken;
    }

    public void Clear()
    {
        _kept?.Dispose();
        (_kept, _key) = (null, null);
    }

    public void Dispose() => Clear();

    /// <summary>
    /// SHA-256 of the settings that shape a fingerprint and of every split's size, shape and stored bytes; null for images
    /// not stored as bytes (stage 1 reads bytes; a provider's floats are rescaled by split-integrity first).
    /// </summary>
    static string? Key(IReadOnlyList<DataSplit> splits, NearDuplicateOptions options)
    {
        if (splits.Any(s => s.Inputs.dtype != ScalarType.Byte)) return null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(
            $"{options.WorkSize};{options.BlurSigma:R};" + string.Join(";", splits.Select(s => $"{s.Count}:{string.Join("x", s.Inputs.shape)}"))));
        foreach (var split in splits) hash.AppendData(TensorCopy.ToArray<byte>(split.Inputs));
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
