using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Recipe.Training;

/// <summary>The loss for each task, as a mean over examples (or over predicted tokens).</summary>
public static class Losses
{
    /// <summary>Target value that marks a position to ignore in sequence targets.</summary>
    public const long IgnoreIndex = -1;

    public static Tensor For(TaskKind task, Tensor output, Tensor targets) => task switch
    {
        TaskKind.Classification => cross_entropy(output, targets),                         // (B, C) vs (B)
        TaskKind.Regression => mse_loss(output.squeeze(-1), targets),                       // (B, 1) vs (B)
        TaskKind.Sequence => cross_entropy(output.flatten(0, 1), targets.flatten(),          // (B*T, V) vs (B*T)
            ignore_index: IgnoreIndex),
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };

    /// <summary>Per-example losses, shape (B); sequences average their non-ignored tokens.</summary>
    public static Tensor PerExample(TaskKind task, Tensor output, Tensor targets)
    {
        switch (task)
        {
            case TaskKind.Classification:
                return cross_entropy(output, targets, reduction: nn.Reduction.None);
            case TaskKind.Regression:
                return mse_loss(output.squeeze(-1), targets, reduction: nn.Reduction.None);
            default:
                using (var scope = NewDisposeScope())
                {
                    var perToken = cross_entropy(output.flatten(0, 1), targets.flatten(), ignore_index: IgnoreIndex, reduction: nn.Reduction.None)
                        .reshape(targets.shape);
                    var counted = targets.ne(IgnoreIndex).to_type(float32).sum(1).clamp_min(1);
                    return (perToken.sum(1) / counted).MoveToOuterDisposeScope();
                }
        }
    }
}
