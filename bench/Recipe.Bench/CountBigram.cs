using Recipe.Data;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Bench;

/// <summary>
/// The count bigram, the baseline every character model must beat: P(next | previous) from the training lines' pair
/// counts plus one (add-one smoothing), scored on the validation lines as nats per predicted character.
/// </summary>
public static class CountBigram
{
    public static double ValidationNats(Dataset data)
    {
        using var scope = NewDisposeScope();
        long vocabulary = data.Vocabulary!.Size;
        var counts = PairCounts(data.Train, vocabulary) + 1;                         // (previous, next)
        var logProbabilities = (counts / counts.sum(1, keepdim: true)).log();
        var (previous, next) = Pairs(data.Validation);
        return -logProbabilities[previous, next].mean().item<double>();
    }

    static Tensor PairCounts(DataSplit split, long vocabulary)
    {
        var (previous, next) = Pairs(split);
        return (previous * vocabulary + next).bincount(null, minlength: vocabulary * vocabulary).reshape(vocabulary, vocabulary).to_type(float64);
    }

    /// <summary>Every predicted position: its input token (the previous character) and its target (the next).</summary>
    static (Tensor Previous, Tensor Next) Pairs(DataSplit split)
    {
        var counted = split.Targets.ne(Losses.IgnoreIndex);
        return (split.Inputs.masked_select(counted), split.Targets.masked_select(counted));
    }
}
