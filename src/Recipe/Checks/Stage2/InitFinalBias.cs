using Recipe.Data;
using Recipe.Models;
using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Init well: the final bias should make the untrained model predict the training targets' prior
/// (log class frequencies; the target mean for regression). Otherwise the first steps only learn the
/// bias, and the loss curve starts with a "hockey stick" — worst on imbalanced data. What counts is how
/// much loss the init's class distribution wastes compared with the control every dataset has: always
/// predicting the prior. A fixed KL cannot tell: a uniform start costs a 1:9 binary problem 0.37 nats (more
/// than the prior's whole cross-entropy of 0.33, so the first steps do nothing but learn the bias) and a
/// character model about as much (against a prior cross-entropy near 3 nats: a small detour).
/// </summary>
public sealed class InitFinalBias : ICheck
{
    /// <summary>
    /// KL(prior ‖ mean prediction) over the prior's cross-entropy: ~0 with the bias from the priors, 1.13 for a 1:9 binary
    /// problem that starts at 50/50, 0.13 for a 70/30 one, ~0.15 for a character model with a default init.
    /// </summary>
    public static readonly Condition PriorMatched = Condition.AtMost("KL(prior ‖ mean prediction at init) as a share of the prior's cross-entropy", 0.5, format: "P0");
    /// <summary>Distance of the mean prediction from the target mean, in target standard deviations.</summary>
    public static readonly Condition MeanMatched = Condition.AtMost("|mean prediction at init − target mean| in target std", 0.5);

    public string Id => "init-final-bias";
    public int Stage => 2;
    public string Hypothesis => "The untrained model already predicts the training targets' prior (final bias from the class frequencies or the target mean), so there is no hockey stick.";
    public bool Blocking => false;
    public IReadOnlyList<Condition> Conditions => [PriorMatched, MeanMatched];

    public CheckOutcome Run(CheckContext context)
    {
        var data = context.Data;
        using var probe = CheckContext.First(data.Train, context.Options.InitExamples, "init-probe");
        var evidence = new Evidence().Number("examples", probe.Count);
        string finding;
        using (var model = context.NewModel())
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            model.eval();
            var output = model.call(context.Pipeline.Transform(probe.Inputs));
            finding = data.Task == TaskKind.Regression ? Regression(data, output, evidence) : Classes(data, output, probe.Targets, evidence);
        }
        if (evidence.Verdict != Verdict.Pass) HockeyStick(context, evidence);
        return CheckOutcome.FromConditions(evidence, finding,
            "Set the final layer's bias from the training targets before training (FinalLayerInit.FromTargets): log of the class frequencies " +
            "for a softmax, the target mean for regression. The picture shows the first steps with and without it: the difference is the hockey stick.");
    }

    static string Classes(Dataset data, Tensor output, Tensor targets, Evidence evidence)
    {
        using var logPrior = Priors.LogPrior(data);
        var probabilities = output.softmax(-1).to_type(float64);
        if (data.Task == TaskKind.Sequence)
            probabilities = probabilities.flatten(0, 1).index_select(0, targets.flatten().ne(Losses.IgnoreIndex).nonzero().squeeze(1));
        var meanPrediction = probabilities.mean([0]);                         // (outputs)
        var prior = logPrior.to_type(float64).exp();
        double kl = (prior * (logPrior.to_type(float64) - meanPrediction.clamp_min(1e-12).log())).sum().item<double>();
        double priorCrossEntropy = Priors.CrossEntropy(logPrior, targets);
        double wasted = kl / Math.Max(priorCrossEntropy, 1e-12);
        var p = Show.Values(prior);
        var q = Show.Values(meanPrediction);
        evidence.Number("kl_prior_to_mean_prediction", kl).Number("prior_cross_entropy", priorCrossEntropy).Number("wasted_share", wasted)
            .Number("largest_prior", p.Max()).Number("smallest_prior", p.Min());
        evidence.Test(PriorMatched, double.IsNaN(wasted) ? double.PositiveInfinity : wasted);
        evidence.Table("training prior vs the untrained model's mean prediction", ["label", "prior", "mean prediction at init"],
            Enumerable.Range(0, Math.Min(p.Length, 20)).Select(i => (IReadOnlyList<string>)[Label(data, i), Show.N(p[i]), Show.N(q[i])]));
        return $"KL(prior ‖ mean prediction at init) = {Show.N(kl)} nats, {Show.P(wasted)} of the prior's cross-entropy ({Show.N(priorCrossEntropy)} nats); " +
               $"the most frequent label has prior {Show.P(p.Max())} " +
               $"and gets {Show.P(q[Array.IndexOf(p, p.Max())])} at init";
    }

    static string Regression(Dataset data, Tensor output, Evidence evidence)
    {
        var (mean, std) = Priors.TargetMoments(data.Train);
        double predicted = output.to_type(float64).mean().item<double>();
        double distance = Math.Abs(predicted - mean) / Math.Max(std, 1e-12);
        evidence.Number("target_mean", mean).Number("target_std", std).Number("mean_prediction_at_init", predicted).Number("distance_in_std", distance);
        evidence.Test(MeanMatched, distance);
        return $"mean prediction at init {Show.N(predicted)} vs target mean {Show.N(mean)} (std {Show.N(std)}): {Show.N(distance)} std apart";
    }

    static string Label(Dataset data, int index) => data.Task == TaskKind.Sequence
        ? Show.Tokens(data.Vocabulary, [index])
        : Show.Label(data, index, width: 40);

    /// <summary>The first steps as the pipeline starts, next to the same run with the bias set from the priors.</summary>
    static void HockeyStick(CheckContext context, Evidence evidence)
    {
        int steps = context.Options.BiasSteps;
        var pipeline = context.Pipeline;
        using (var probe = pipeline.CreateModel())
            if (probe is not IHasOutputLayer)
            {
                evidence.Note("The model does not expose its output layer (IHasOutputLayer), so the run with the bias from the priors was not made.");
                return;
            }
        var asIs = context.Train(new RunSpec("init-final-bias: as initialized", steps));
        asIs.Model.Dispose();
        var withPrior = context.Train(new RunSpec("init-final-bias: bias from priors", steps)
        {
            CreateModel = () =>
            {
                var model = pipeline.CreateModel();
                FinalLayerInit.FromTargets((IHasOutputLayer)model, context.Data);
                return model;
            },
        });
        withPrior.Model.Dispose();
        double[] Steps(TrainingResult r) => Enumerable.Range(1, r.StepLosses.Count).Select(i => (double)i).ToArray();
        evidence.Number("first_step_loss_as_initialized", asIs.Training.StepLosses[0])
            .Number("first_step_loss_bias_from_priors", withPrior.Training.StepLosses[0]);
        evidence.Picture(Charts.Lines("the first steps: as initialized vs final bias from the priors", "step", "training loss (batch)",
            [("as initialized", Steps(asIs.Training), asIs.Training.StepLosses.ToArray()),
             ("bias from priors", Steps(withPrior.Training), withPrior.Training.StepLosses.ToArray())]),
            "A curve that starts high and drops steeply in the first steps is the hockey stick: those steps only learn the bias.");
    }
}
