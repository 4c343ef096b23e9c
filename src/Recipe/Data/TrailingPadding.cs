using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// Text lines are stored padded to the longest line of the whole file (words: 24 positions, while a batch of 128 random
/// words rarely holds one longer than 17). The columns past a batch's longest line carry only padding: every target there
/// is ignored (−1) and a causal model's output at an earlier position cannot depend on them, so cutting them changes
/// neither the loss nor its gradient, only the time spent computing on padding (profiled on words: a quarter of a
/// charconv step, a third of a GRU step, half of a transformer step; `Recipe.Bench text-steps`).
/// </summary>
public static class TrailingPadding
{
    /// <summary>
    /// Whether a batch looks like aligned token sequences: int64 inputs and int64 targets of the same (B, T) shape, as
    /// Recipe's text-lines data stores them. Other layouts (images, tables, one-hot or windowed inputs a provider built)
    /// are left as they are: their width may mean something to the model.
    /// </summary>
    public static bool Applies(Tensor inputs, Tensor targets) =>
        inputs.dim() == 2 && targets.dim() == 2 && inputs.dtype == ScalarType.Int64 && targets.dtype == ScalarType.Int64
        && inputs.shape[1] == targets.shape[1] && inputs.shape[0] == targets.shape[0];

    /// <summary>The batch cut after its last column with a target that is not ignored (whole when none is counted).</summary>
    public static (Tensor Inputs, Tensor Targets) Trim(Tensor inputs, Tensor targets)
    {
        long used = UsedColumns(targets);
        if (used == targets.shape[1]) return (inputs, targets);
        var (x, y) = (inputs.narrow(1, 0, used).contiguous(), targets.narrow(1, 0, used).contiguous());
        inputs.Dispose();
        targets.Dispose();
        return (x, y);
    }

    /// <summary>Columns up to and including the last one where any row has a target other than the ignore index.</summary>
    public static long UsedColumns(Tensor targets)
    {
        using var scope = NewDisposeScope();
        var counted = targets.ne(Training.Losses.IgnoreIndex).any(0);                   // (T) bool
        long width = targets.shape[1];
        if (!counted.any().item<bool>()) return width; // nothing counted: nothing to gain, keep the batch whole
        // the last counted column: the position of the maximum of (index where counted, else −1)
        var positions = where(counted, arange(width, dtype: ScalarType.Int64), tensor(-1L));
        return positions.max().item<long>() + 1;
    }
}
