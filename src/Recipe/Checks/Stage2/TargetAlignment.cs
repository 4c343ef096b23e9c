using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// How often the stored target at t equals a stored input token: at the same position t (an input that holds its own target),
/// at t+1 (the intended alignment: with teacher forcing the next input is this target) and at t in another example (chance,
/// for the data's own token frequencies). Shares of the valid (non-ignored) targets.
/// </summary>
/// <param name="Compared">Valid targets compared at the same position (the binomial count behind the standard error).</param>
public sealed record TargetAlignment(double SamePosition, double NextPosition, double Chance, long Compared)
{
    /// <summary>
    /// How far the same-position rate lies above the larger control, in binomial standard errors of that control's rate
    /// (at least one count's worth, so that a control of exactly 0 or 1 still has a scale). Negative when it lies below.
    /// </summary>
    public double ExcessInStandardErrors
    {
        get
        {
            if (Compared == 0) return 0;
            double control = Math.Max(NextPosition, Chance);
            double error = Math.Max(Math.Sqrt(control * (1 - control) / Compared), 1.0 / Compared);
            return (SamePosition - control) / error;
        }
    }

    /// <summary>All zeros when inputs and targets are not token ids of one shape (nothing to align).</summary>
    public static TargetAlignment Measure(DataSplit split, long seed)
    {
        using var scope = NewDisposeScope();
        var x = split.Inputs;
        var y = split.Targets;
        if (!x.shape.SequenceEqual(y.shape) || x.is_floating_point() || y.dim() < 2 || split.Count < 2) return new TargetAlignment(0, 0, 0, 0);
        var valid = y.ne(Training.Losses.IgnoreIndex);
        long count = valid.sum().item<long>();
        if (count == 0) return new TargetAlignment(0, 0, 0, 0);

        double same = Share(x.eq(y), valid);
        long length = y.shape[1];
        double next = length < 2 ? 0 : Share(x.narrow(1, 1, length - 1).eq(y.narrow(1, 0, length - 1)), valid.narrow(1, 0, length - 1));
        using var generator = new Generator((ulong)seed);
        // Another example: each row of a shuffled order against the row before it, so no row meets itself.
        var order = randperm(split.Count, generator: generator);
        var shuffledTargets = y.index_select(0, order);
        double chance = Share(x.index_select(0, order.roll(1)).eq(shuffledTargets), valid.index_select(0, order));
        return new TargetAlignment(same, next, chance, count);
    }

    static double Share(Tensor matches, Tensor valid)
    {
        long count = valid.sum().item<long>();
        return count == 0 ? 0 : matches.logical_and(valid).sum().item<long>() / (double)count;
    }
}
