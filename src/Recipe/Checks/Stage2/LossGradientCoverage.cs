using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Every example the loss penalizes must push on the model: its loss must send a non-zero gradient to
/// its output. A loss clipped (clamped) instead of the gradient gives the worst examples — often the
/// outliers — a flat loss and no gradient, so training silently ignores them. The converse holds for
/// padding: a position whose stored target is the padding value (<see cref="Losses.IgnoreIndex"/>) has no
/// target, so it must send no gradient at all; a loss that maps the padding to a real class (clamp(min: 0),
/// a forgotten ignore_index behind a remap) trains the model to predict that class after every line.
/// </summary>
public sealed class LossGradientCoverage : ICheck
{
    /// <summary>Below this an example counts as fitted, and a zero gradient is expected.</summary>
    public const double FittedLoss = 1e-3;
    /// <summary>A gradient norm below this (per example, on the model's output) counts as no gradient.</summary>
    public const double NoGradient = 1e-10;

    public static readonly Condition EveryLossPushes = Condition.AtMost("share of examples with loss > 1e-3 that send no gradient to their output", 0, format: "P0");
    /// <summary>
    /// The control is the gradient the same loss sends to the real (non-padding) positions of the same batch: a padding position
    /// pushing with more than this share of their median has been given a target. An ignored position gets exactly 0.
    /// </summary>
    public const double PaddingGradientShare = 1e-3;
    public static readonly Condition PaddingIsSilent = Condition.AtMost(
        $"share of padding positions (stored target {Losses.IgnoreIndex}) whose gradient exceeds {PaddingGradientShare:G1} x the median of the real positions'", 0, format: "P0");

    public string Id => "loss-gradient-coverage";
    public int Stage => 2;
    public string Hypothesis => "Every example with a non-zero loss sends a non-zero gradient to the model's output (the gradient is clipped, never the loss).";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [EveryLossPushes, PaddingIsSilent];

    public CheckOutcome Run(CheckContext context)
    {
        using var probe = CheckContext.First(context.Data.Train, context.Options.ProbeExamples, "loss-probe");
        var evidence = new Evidence().Number("examples", probe.Count);

        using var fresh = context.NewModel();
        var atInit = Probe(context, fresh, probe);
        var trained = context.Train(new RunSpec($"{Id}: a few steps of training", context.Options.HealthSteps));
        using var trainedModel = trained.Model;
        var afterSteps = Probe(context, trainedModel, probe);

        int penalized = atInit.Penalized + afterSteps.Penalized;
        int silent = atInit.Silent + afterSteps.Silent;
        double share = penalized == 0 ? 0 : (double)silent / penalized;
        evidence.Number("penalized_examples_at_init", atInit.Penalized).Number("silent_examples_at_init", atInit.Silent)
            .Number("penalized_examples_after_training", afterSteps.Penalized).Number("silent_examples_after_training", afterSteps.Silent)
            .Number("silent_share", share);
        evidence.Test(EveryLossPushes, share);
        var padding = PaddingGradients.Measure(context.Pipeline, fresh, context.Data.Train, context.Options.ProbeExamples);
        if (padding is not null)
        {
            evidence.Number("padding_positions", padding.PaddingPositions).Number("padding_positions_with_gradient", padding.Pushing)
                .Number("median_real_position_gradient", padding.MedianRealGradient).Number("max_padding_gradient", padding.MaxPaddingGradient);
            evidence.Test(PaddingIsSilent, padding.PushingShare);
        }
        bool paddingTrained = padding is { Pushing: > 0 };
        evidence.Picture(Charts.Scatter("per-example loss vs gradient on the output", "loss of the example alone", "log10 |∂loss/∂output| (−12 = none)",
            [("at init", atInit.Losses, atInit.LogGradients), ($"after {context.Options.HealthSteps} steps", afterSteps.Losses, afterSteps.LogGradients)]),
            "Each point is one training example: every example with a loss above zero must sit well above the bottom line (no gradient).");
        return CheckOutcome.FromConditions(evidence,
            $"{silent} of {penalized} penalized examples send no gradient ({atInit.Silent}/{atInit.Penalized} at init, " +
            $"{afterSteps.Silent}/{afterSteps.Penalized} after {context.Options.HealthSteps} steps)" +
            (padding is null ? "" : $"; {padding.Pushing} of {padding.PaddingPositions} padding positions send gradient " +
                                    $"(max {Show.N(padding.MaxPaddingGradient)} vs median {Show.N(padding.MedianRealGradient)} on real positions)"),
            paddingTrained
                ? $"Positions whose stored target is the padding value {Losses.IgnoreIndex} are trained: the loss turns the padding into a real " +
                  $"target (e.g. targets.clamp(min: 0) makes it token 0), so the model learns to predict that token after every line. Skip them " +
                  $"in the loss: cross_entropy(output.flatten(0, 1), targets.flatten(), ignore_index: {Losses.IgnoreIndex}), or multiply the " +
                  "per-token loss by targets.ne(-1) and divide by that mask's sum."
                : "The loss is flat where it is still positive: it is clamped or clipped (e.g. loss.clamp_max, a hand-written cut-off, a detached term), " +
            "so those examples stop training the model. Clip the gradient instead (nn.utils.clip_grad_norm_) and keep the loss smooth; use a " +
            "Huber loss if outliers should weigh less.");
    }

    sealed record ProbeResult(int Penalized, int Silent, double[] Losses, double[] LogGradients);

    /// <summary>Gradient of the batch loss with respect to each example's output, and each example's loss alone.</summary>
    static ProbeResult Probe(CheckContext context, nn.Module<Tensor, Tensor> model, Data.DataSplit probe)
    {
        using var scope = NewDisposeScope();
        var loss = context.Pipeline.Loss;
        model.eval();
        Tensor output;
        using (no_grad()) output = model.call(context.Pipeline.Transform(probe.Inputs)).detach();
        var leaf = output.clone().requires_grad_(true);
        loss(leaf, probe.Targets).backward();
        var gradients = Show.Values(leaf.grad!.flatten(1).square().sum(1).sqrt());
        var losses = new double[probe.Count];
        using (no_grad())
            for (int i = 0; i < probe.Count; i++)
                losses[i] = loss(output.narrow(0, i, 1), probe.Targets.narrow(0, i, 1)).to_type(float64).item<double>();
        int penalized = 0, silent = 0;
        for (int i = 0; i < probe.Count; i++)
        {
            if (!(losses[i] > FittedLoss)) continue; // fitted, or no valid target (NaN)
            penalized++;
            if (!(gradients[i] > NoGradient)) silent++;
        }
        var logGradients = gradients.Select(g => Math.Log10(Math.Max(g, 1e-12))).ToArray();
        return new ProbeResult(penalized, silent, losses.Select(l => double.IsFinite(l) ? l : 0).ToArray(), logGradients);
    }
}
