using Recipe.Data;
using Recipe.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// An augmentation must keep each label true of its input. A model trained without augmentation is the
/// judge: on the examples the augmentation changed, it should agree with the augmented labels nearly as
/// often as with the clean ones. An image flipped without its label (for a label that depends on
/// orientation) makes the judge disagree with almost every flipped example.
/// </summary>
public sealed class AugmentationConsistency : ICheck
{
    /// <summary>Validation examples pushed through the augmentation.</summary>
    const int Examples = 512;

    /// <summary>A label-preserving flip of Fashion-MNIST keeps ~0.9 of the agreement; a label it breaks drops to ~0.</summary>
    public static readonly Condition LabelsStillTrue = Condition.AtLeast("agreement with augmented labels, as a share of agreement with clean labels", 0.6);
    public static readonly Condition ChangesSomething = Condition.AtLeast("share of examples the augmentation changed", 0.01, Verdict.Warn, "P0");

    public string Id => "augmentation-consistency";
    public int Stage => 2;
    public string Hypothesis => "The augmentation keeps every label consistent with its input: a model trained without it agrees with augmented labels nearly as often as with clean ones.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [LabelsStillTrue, ChangesSomething];

    public CheckOutcome Run(CheckContext context)
    {
        var pipeline = context.Pipeline;
        if (pipeline.Augment is not { } augment) return CheckOutcome.Skipped("the pipeline has no augmentation (as the recipe advises at this stage)");
        var data = context.Data;
        using var clean = CheckContext.First(data.Validation, Examples, "augmentation-probe");
        using var scope = NewDisposeScope();
        Training.Seeding.Apply(context.Seed);
        var (augmentedInputs, augmentedTargets) = augment(clean.Inputs.clone(), clean.Targets.clone());
        var changedInput = (augmentedInputs.to_type(float64) - clean.Inputs.to_type(float64)).abs().flatten(1).amax([1]).gt(0);
        var changedTarget = (augmentedTargets.to_type(float64) - clean.Targets.to_type(float64)).abs().reshape(clean.Count, -1).amax([1]).gt(0);
        var changed = changedInput.logical_or(changedTarget).nonzero().squeeze(1);
        int count = (int)changed.shape[0];
        var evidence = new Evidence().Number("examples", clean.Count).Number("changed_examples", count);
        evidence.Test(ChangesSomething, (double)count / clean.Count);
        if (count == 0)
            return CheckOutcome.FromConditions(evidence, $"the augmentation changed none of {clean.Count} validation examples",
                "The augmentation does nothing: check its probability and that it returns the augmented tensors.");

        var judge = context.Train(new RunSpec($"{Id}: reference model without augmentation", context.Options.ShortRunSteps) { Augment = false });
        using var judgeModel = judge.Model;
        var before = (Inputs: clean.Inputs.index_select(0, changed), Targets: clean.Targets.index_select(0, changed));
        var after = (Inputs: augmentedInputs.index_select(0, changed), Targets: augmentedTargets.index_select(0, changed));
        var (cleanScore, cleanPredictions) = Agreement(context, judgeModel, before.Inputs, before.Targets);
        var (augmentedScore, augmentedPredictions) = Agreement(context, judgeModel, after.Inputs, after.Targets);
        double ratio = augmentedScore / Math.Max(cleanScore, 1e-12);
        evidence.Number("agreement_clean", cleanScore).Number("agreement_augmented", augmentedScore).Number("agreement_ratio", ratio);
        evidence.Test(LabelsStillTrue, ratio);
        evidence.Note(data.Task == TaskKind.Regression
            ? "Agreement for regression: 1 / (1 + mean squared error / target variance)."
            : "Agreement: the reference model's accuracy against the labels.");
        if (Show.IsImages(data)) Pairs(data, before, after, augmentedPredictions, evidence);
        return CheckOutcome.FromConditions(evidence,
            $"on the {count} examples the augmentation changed, a model trained without it agrees with the augmented labels {Show.N(augmentedScore)} " +
            $"vs {Show.N(cleanScore)} with the clean ones (ratio {Show.N(ratio)})",
            "The augmentation changes inputs in a way their labels do not follow: e.g. an image flipped while its label names a direction or " +
            "a side, a crop that cuts the object out, text shifted without its targets. Transform the label together with the input, or drop " +
            "the augmentation for labels it does not preserve. Look at the pairs in the picture.");
    }

    /// <summary>The reference model's agreement with the given labels, and its predictions.</summary>
    static (double Score, double[] Predictions) Agreement(CheckContext context, nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var output = model.call(context.Pipeline.Transform(inputs));
        if (context.Task == TaskKind.Regression)
        {
            var (_, std) = Priors.TargetMoments(context.Data.Train);
            var prediction = output.reshape(output.shape[0]).to_type(float64);
            double mse = (prediction - targets.to_type(float64)).square().mean().item<double>();
            return (1 / (1 + mse / Math.Max(std * std, 1e-12)), Show.Values(prediction));
        }
        var predicted = output.argmax(-1);
        var valid = targets.ne(Training.Losses.IgnoreIndex);
        double score = predicted.eq(targets).logical_and(valid).sum().item<long>() / (double)Math.Max(1, valid.sum().item<long>());
        return (score, context.Task == TaskKind.Classification ? Show.Values(predicted) : []);
    }

    static void Pairs(Dataset data, (Tensor Inputs, Tensor Targets) before, (Tensor Inputs, Tensor Targets) after, double[] predictions, Evidence evidence)
    {
        int n = (int)Math.Min(16, before.Inputs.shape[0]);
        var images = stack([.. Enumerable.Range(0, n).SelectMany(i => new[] { before.Inputs[i], after.Inputs[i] })]);
        var labels = Enumerable.Range(0, n).SelectMany(i => new[]
        {
            Show.Label(data, before.Targets[i].item<long>()),
            $"{Show.Label(data, after.Targets[i].item<long>(), 4)}|{Show.Label(data, predictions.Length > i ? predictions[i] : double.NaN, 4)}",
        }).ToList();
        evidence.Picture(ImageGrid.Render(images, columns: 8, scale: 2, labels),
            "Pairs: the clean example with its label, then the augmented one captioned 'augmented label|what the reference model says'.");
    }
}
