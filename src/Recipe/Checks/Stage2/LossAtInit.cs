using Recipe.Data;
using Recipe.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Verify the loss at init: −log(1/C) for a softmax over C classes that starts uniform, the prior's
/// entropy once the final bias is set from the class frequencies; for L2 regression the targets' mean
/// square (outputs ≈ 0) or their variance (bias at the mean). Far from both means an overconfident
/// init or a mis-scaled loss (a sum instead of a mean). It cannot see a softmax applied twice: the softmax
/// of near-uniform logits is near uniform, so that loss starts at ln C too; the bug shows later, as a loss
/// that cannot go below a floor, which overfit-one-batch catches.
/// </summary>
public sealed class LossAtInit : ICheck
{
    /// <summary>Relative gap to the nearest reference: a random init adds a little; an overconfident one a lot.</summary>
    public static readonly Condition NearReference = Condition.AtMost("relative gap between the loss at init and its expected value", 0.25);
    public static readonly Condition CloseToReference = Condition.AtMost("relative gap between the loss at init and its expected value", 0.1, Verdict.Warn);

    public string Id => "loss-at-init";
    public int Stage => 2;
    public string Hypothesis => "The untrained model's loss is what an uninformed model should score: −log(1/C) for C classes (the prior's entropy once the bias is set), the target variance for L2.";
    public bool Blocking => false;
    public IReadOnlyList<Condition> Conditions => [NearReference, CloseToReference];

    public CheckOutcome Run(CheckContext context)
    {
        var data = context.Data;
        using var probe = CheckContext.First(data.Train, context.Options.InitExamples, "init-probe");
        using var model = context.NewModel();
        model.eval();
        double measured;
        using (no_grad())
        using (var scope = NewDisposeScope())
            measured = context.Pipeline.Loss(model.call(context.Pipeline.Transform(probe.Inputs)), probe.Targets).to_type(float64).item<double>();

        var references = References(data, probe);
        var (name, expected) = references.MinBy(r => Math.Abs(r.Value - measured));
        double gap = Math.Abs(measured - expected) / Math.Max(Math.Abs(expected), 1e-12);
        var evidence = new Evidence().Number("examples", probe.Count).Number("loss_at_init", measured);
        foreach (var (reference, value) in references) evidence.Number(reference, value);
        evidence.Number("relative_gap", gap);
        evidence.Test(NearReference, gap);
        evidence.Test(CloseToReference, gap);
        evidence.Table("expected values of the loss at init", ["reference", "value", "meaning"],
            references.Select(r => (IReadOnlyList<string>)[r.Name, Show.N(r.Value), Meaning(r.Name)]));
        return CheckOutcome.FromConditions(evidence,
            $"loss at init {Show.N(measured)} on {probe.Count} training examples; nearest expected value {Show.N(expected)} ({name}), gap {Show.P(gap)}",
            $"The untrained model scores {Show.N(measured)} where an uninformed model scores {Show.N(expected)}. If it is higher, the untrained model is " +
            "confidently wrong: the final layer's weights are too large (initialize them small and the bias from the priors). If it is far off in " +
            "either direction, check the loss's scale: a sum instead of a mean over the batch, or the wrong target scale.");
    }

    static List<(string Name, double Value)> References(Dataset data, DataSplit probe)
    {
        if (data.Task == TaskKind.Regression)
        {
            using var scope = NewDisposeScope();
            var y = probe.Targets.to_type(float64);
            var (trainMean, _) = Priors.TargetMoments(data.Train);
            return [("zero_predictor_mse", y.square().mean().item<double>()), ("mean_predictor_mse", (y - trainMean).square().mean().item<double>())];
        }
        using var logPrior = Priors.LogPrior(data);
        return [("uniform_cross_entropy", Math.Log(ModelFactory.OutputsFor(data))), ("prior_cross_entropy", Priors.CrossEntropy(logPrior, probe.Targets))];
    }

    static string Meaning(string reference) => reference switch
    {
        "uniform_cross_entropy" => "−log(1/C): a softmax that starts uniform",
        "prior_cross_entropy" => "the prior's entropy: a final bias set from the class frequencies",
        "zero_predictor_mse" => "mean of y²: outputs start near 0",
        _ => "variance of y: a final bias set to the target mean",
    };
}
