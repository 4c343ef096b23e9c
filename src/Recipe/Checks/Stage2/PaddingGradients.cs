using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// How hard the pipeline's loss pushes on the output at positions whose stored target is the padding value
/// (<see cref="Losses.IgnoreIndex"/>), measured against the real positions of the same batch (the control):
/// an ignored position gets exactly zero, a position the loss quietly gives a target gets about as much as a real one.
/// </summary>
/// <param name="PaddingPositions">Positions of the padded examples whose stored target is the padding value.</param>
/// <param name="Pushing">Those whose gradient exceeds <see cref="LossGradientCoverage.PaddingGradientShare"/> × the real positions' median.</param>
public sealed record PaddingGradients(int PaddingPositions, int Pushing, double MedianRealGradient, double MaxPaddingGradient)
{
    public double PushingShare => PaddingPositions == 0 ? 0 : (double)Pushing / PaddingPositions;

    /// <summary>
    /// Measured on up to <paramref name="examples"/> training examples that hold padding. Null when none does or the output has no place per target position: the output must be (B, T, ...) or
    /// channels-first (B, C, T) for (B, T) targets.
    /// </summary>
    public static PaddingGradients? Measure(Pipeline pipeline, nn.Module<Tensor, Tensor> model, Data.DataSplit train, int examples)
    {
        using var scope = NewDisposeScope();
        if (train.Targets.dtype is not (ScalarType.Int64 or ScalarType.Int32) || train.Targets.dim() < 2) return null;
        // The probe is made of padded examples only: in data of near-equal lengths the first examples may hold no padding at all.
        var padded = train.Targets.eq(Losses.IgnoreIndex).flatten(1).any(1).nonzero().squeeze(1);
        if (padded.numel() == 0) return null;
        padded = padded.narrow(0, 0, Math.Min(examples, padded.numel()));
        var targets = train.Targets.index_select(0, padded);
        var padding = targets.eq(Losses.IgnoreIndex);
        if (padding.all().item<bool>()) return null;

        model.eval();
        Tensor output;
        using (no_grad()) output = model.call(pipeline.Transform(train.Inputs.index_select(0, padded))).detach();
        var leaf = output.clone().requires_grad_(true);
        pipeline.Loss(leaf, targets).backward();
        if (PerPosition(leaf.grad!, targets.shape) is not { } perPosition) return null;

        var real = perPosition.masked_select(padding.logical_not());
        var atPadding = perPosition.masked_select(padding);
        double median = real.median().to_type(float64).item<double>();
        double limit = Math.Max(LossGradientCoverage.NoGradient, LossGradientCoverage.PaddingGradientShare * median);
        int pushing = (int)atPadding.gt(limit).sum().item<long>();
        return new PaddingGradients((int)atPadding.numel(), pushing, median, atPadding.max().to_type(float64).item<double>());
    }

    /// <summary>The gradient's norm per target position, or null when the output's layout does not line up with the targets.</summary>
    static Tensor? PerPosition(Tensor gradient, long[] targetShape)
    {
        int d = targetShape.Length;
        if (gradient.dim() >= d && gradient.shape.Take(d).SequenceEqual(targetShape))
            return gradient.dim() == d ? gradient.abs() : gradient.flatten(d).square().sum(d).sqrt();
        // channels-first sequence output (B, C, T) against (B, T) targets, as a Conv1d head returns it
        if (d == 2 && gradient.dim() == 3 && gradient.shape[0] == targetShape[0] && gradient.shape[2] == targetShape[1])
            return gradient.square().sum(1).sqrt();
        return null;
    }
}
