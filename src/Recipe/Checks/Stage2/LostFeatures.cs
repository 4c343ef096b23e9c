using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Stored features the input transform loses. When the transform keeps one value per stored value (same count per
/// example), a value that varies across the stored examples but is constant at the door was zeroed or overwritten:
/// exactly the bug that per-door statistics cannot see, since a constant feature is left out of them. When the
/// transform changes the width (adds indicators, expands categories), each varying stored feature of a table is
/// moved (each row takes the next row's value) and a transform whose output does not change at all ignores it.
/// </summary>
public sealed record LostFeatures(IReadOnlyList<long> Constant, IReadOnlyList<long> Ignored, long Checked)
{
    /// <summary>Tables wider than this are not probed one feature at a time.</summary>
    const int MostProbedFeatures = 512;

    public static LostFeatures None { get; } = new([], [], 0);

    /// <summary>Compares the stored <paramref name="probe"/> with what the pipeline's transform makes of it.</summary>
    public static LostFeatures Find(Dataset data, Func<Tensor, Tensor> transform, DataSplit probe)
    {
        if (data.Task == TaskKind.Sequence || probe.Count < 2) return None; // token ids: no per-feature values to compare
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = probe.Count;
        var stored = probe.Inputs.to_type(float64).reshape(n, -1).nan_to_num(0, 0, 0);
        var door = transform(probe.Inputs);
        if (!door.is_floating_point() || door.shape[0] != n) return None;
        var flatDoor = door.to_type(float64).reshape(n, -1).nan_to_num(0, 0, 0);
        var varies = Spread(stored).gt(0);
        if (flatDoor.shape[1] == stored.shape[1])
        {
            // Exact comparisons on purpose: equal stored values map to equal outputs, so a constant output is exactly constant.
            var lost = varies.logical_and(Spread(flatDoor).eq(0)).nonzero().squeeze(1);
            return new LostFeatures(Show.Values(lost).Select(v => (long)v).ToArray(), [], stored.shape[1]);
        }
        if (data.ExampleShape.Length != 1 || stored.shape[1] > MostProbedFeatures) return None;
        var ignored = new List<long>();
        foreach (long j in Show.Values(varies.nonzero().squeeze(1)).Select(v => (long)v))
        {
            using var inner = NewDisposeScope();
            var moved = probe.Inputs.clone();
            moved.select(1, j).copy_(probe.Inputs.select(1, j).roll(1, 0));
            var changed = transform(moved).to_type(float64).reshape(n, -1).nan_to_num(0, 0, 0).ne(flatDoor).any().item<bool>();
            if (!changed) ignored.Add(j);
        }
        return new LostFeatures([], ignored, stored.shape[1]);
    }

    static Tensor Spread(Tensor flat) => flat.amax([0]) - flat.amin([0]);
}
