using Recipe.Data;
using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// An augmentation must keep each label true of its input. A model trained without augmentation is the
/// judge. For classes, the decisive signal is a systematic swap: the augmented examples of one class
/// predicted, as a majority, as one other class, beyond what two controls from the same run explain (the
/// judge's confusion on the clean versions, and how much that other class absorbs augmented examples of
/// its own and of the rest — a mere distribution shift pulls predictions toward a common sink or spreads
/// them, it does not swap classes). A drop in agreement alone only warns: a harmless crop causes one too.
/// The augmentation is drawn several times, batch by batch, so that a coin flipped per batch shows.
/// </summary>
public sealed class AugmentationConsistency : ICheck
{
    /// <summary>Validation examples pushed through the augmentation in each draw.</summary>
    const int Examples = 512;
    /// <summary>Independent draws of the augmentation over those examples (each batch by batch, with its own seed).</summary>
    const int Draws = 4;
    /// <summary>A class needs this many changed examples for its swap share to count.</summary>
    const int MinimumPerClass = 5;

    /// <summary>
    /// Share of one class's augmented examples predicted as one other class, minus the largest control (clean confusion,
    /// that class as a sink). Above one half, most of the class moved to one other class for no reason the controls show.
    /// </summary>
    public static readonly Condition NoSystematicSwap =
        Condition.AtMost("largest share of one class's augmented examples predicted as one other class, beyond the controls", 0.5, format: "P0");
    /// <summary>
    /// Regression and sequences have no classes to swap. There the judge's agreement with the augmented labels is placed between two
    /// references measured on the same examples: its agreement with the clean labels (1: labels as true as ever) and with the
    /// augmented labels shuffled across examples (0: labels unrelated to their inputs). Below one half the augmented labels are
    /// nearer to unrelated than to true.
    /// </summary>
    public static readonly Condition LabelsStillTrue =
        Condition.AtLeast("agreement with augmented labels, on a scale from shuffled labels (0) to clean labels (1)", 0.5);
    /// <summary>A judge that agrees with clean labels no better than with shuffled ones cannot judge anything.</summary>
    public static readonly Condition JudgeLearned =
        Condition.AtLeast("reference model's agreement with clean labels minus with shuffled labels", 1e-6, Verdict.Warn);
    /// <summary>For classes, a drop in agreement is only a hint: a distribution shift (a crop, a colour change) causes one too.</summary>
    public static readonly Condition AgreementKept =
        Condition.AtLeast("agreement with augmented labels, as a share of agreement with clean labels (classes: a hint)", 0.6, Verdict.Warn);
    public static readonly Condition ChangesSomething = Condition.AtLeast("share of examples the augmentation changed", 0.01, Verdict.Warn, "P0");

    public string Id => "augmentation-consistency";
    public int Stage => 2;
    public string Hypothesis => "The augmentation keeps every label consistent with its input: a model trained without it does not see one class turned into another.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [NoSystematicSwap, LabelsStillTrue, JudgeLearned, AgreementKept, ChangesSomething];

    public CheckOutcome Run(CheckContext context)
    {
        var pipeline = context.Pipeline;
        if (pipeline.Augment is not { } augment) return CheckOutcome.Skipped("the pipeline has no augmentation (as the recipe advises at this stage)");
        var data = context.Data;
        using var clean = CheckContext.First(data.Validation, Examples, "augmentation-probe");
        using var scope = NewDisposeScope();
        var before = new List<(Tensor Inputs, Tensor Targets)>();
        var after = new List<(Tensor Inputs, Tensor Targets)>();
        for (int draw = 0; draw < Draws; draw++)
        {
            var (inputs, targets) = Draw(context, augment, clean, draw);
            var changed = Changed(clean, inputs, targets);
            if (changed.shape[0] == 0) continue;
            before.Add((clean.Inputs.index_select(0, changed), clean.Targets.index_select(0, changed)));
            after.Add((inputs.index_select(0, changed), targets.index_select(0, changed)));
        }
        int count = before.Sum(b => (int)b.Inputs.shape[0]);
        var evidence = new Evidence().Number("examples", clean.Count).Number("draws", Draws).Number("changed_examples", count);
        evidence.Test(ChangesSomething, (double)count / (clean.Count * Draws));
        if (count == 0)
            return CheckOutcome.FromConditions(evidence, $"the augmentation changed none of {clean.Count} validation examples in {Draws} draws",
                "The augmentation does nothing: check its probability and that it returns the augmented tensors.");

        var judge = context.Train(new RunSpec($"{Id}: reference model without augmentation", context.Options.ShortRunSteps) { Augment = false });
        using var judgeModel = judge.Model;
        var cleanInputs = cat(before.Select(b => b.Inputs).ToList(), 0);
        var cleanTargets = cat(before.Select(b => b.Targets).ToList(), 0);
        var augmentedInputs = cat(after.Select(a => a.Inputs).ToList(), 0);
        var augmentedTargets = cat(after.Select(a => a.Targets).ToList(), 0);
        var cleanOutput = Outputs(context, judgeModel, cleanInputs);
        var augmentedOutput = Outputs(context, judgeModel, augmentedInputs);
        var (cleanScore, cleanPredictions) = Agreement(context, cleanOutput, cleanTargets);
        var (augmentedScore, augmentedPredictions) = Agreement(context, augmentedOutput, augmentedTargets);
        double ratio = augmentedScore / Math.Max(cleanScore, 1e-12);
        evidence.Number("agreement_clean", cleanScore).Number("agreement_augmented", augmentedScore).Number("agreement_ratio", ratio);
        string scaleFinding = "";
        string swapFinding = "";
        if (data.Task == TaskKind.Classification)
        {
            var swap = SwapAnalysis.Of(Show.Values(augmentedTargets), cleanPredictions, augmentedPredictions, data.ClassCount, MinimumPerClass);
            evidence.Number("largest_swap_beyond_controls", swap.Score);
            evidence.Test(NoSystematicSwap, swap.Score);
            evidence.Test(AgreementKept, ratio);
            evidence.Table("per class: where the judge puts the augmented examples", ["augmented label", "changed", "kept", "top other class", "share", "controls (clean, sink)", "beyond controls"],
                swap.Classes.Select(c => (IReadOnlyList<string>)[Show.Label(data, c.Label), c.Count.ToString(), Show.P(c.Kept), Show.Label(data, c.Other),
                    Show.P(c.Share), $"{Show.P(c.CleanControl)}, {Show.P(c.SinkControl)}", Show.P(c.Beyond)]));
            if (swap.Worst is { } worst)
                swapFinding = $"; {Show.P(worst.Share)} of the augmented '{Show.Label(data, worst.Label, 20)}' examples are predicted as " +
                              $"'{Show.Label(data, worst.Other, 20)}' ({Show.P(worst.Beyond)} beyond the controls)";
        }
        else
        {
            using var generator = new Generator((ulong)context.Seed);
            var shuffled = augmentedTargets.index_select(0, randperm(augmentedTargets.shape[0], generator: generator));
            var (shuffledScore, _) = Agreement(context, augmentedOutput, shuffled);
            double learned = cleanScore - shuffledScore;
            double onScale = learned > 0 ? (augmentedScore - shuffledScore) / learned : double.NaN;
            evidence.Number("agreement_shuffled_labels", shuffledScore).Number("agreement_on_scale", onScale);
            evidence.Test(JudgeLearned, learned);
            if (learned > 0) evidence.Test(LabelsStillTrue, onScale);
            else evidence.Note("The reference model agrees with shuffled labels as well as with the clean ones: it learned nothing to judge the augmentation by.");
            scaleFinding = $"; {Show.N(shuffledScore)} with the augmented labels shuffled, so {Show.N(onScale)} on the scale from shuffled (0) to clean (1)";
        }
        evidence.Note(data.Task == TaskKind.Regression
            ? "Agreement for regression: 1 / (1 + mean squared error / target variance)."
            : "Agreement: the share of the judge's predictions equal to the labels (ignored targets left out).");
        if (Show.IsImages(data) && cleanInputs.shape.SequenceEqual(augmentedInputs.shape)) Pairs(data, cleanInputs, cleanTargets, augmentedInputs, augmentedTargets, augmentedPredictions, evidence);
        return CheckOutcome.FromConditions(evidence,
            $"on {count} augmented examples ({Draws} draws of {clean.Count}), a model trained without augmentation agrees with the augmented labels " +
            $"{Show.N(augmentedScore)} vs {Show.N(cleanScore)} with the clean ones (ratio {Show.N(ratio)}){swapFinding}{scaleFinding}",
            "The augmentation changes inputs in a way their labels do not follow: e.g. an image flipped while its label names a direction or " +
            "a side, a crop that cuts the object out, text shifted without its targets. Transform the label together with the input, or drop " +
            "the augmentation for labels it does not preserve. Look at the pairs in the picture and the per-class table.");
    }

    /// <summary>One draw of the augmentation over the probe, batch by batch as in training (a per-batch coin gets many flips), with its own seed.</summary>
    static (Tensor Inputs, Tensor Targets) Draw(CheckContext context, Augmentation augment, DataSplit clean, int draw)
    {
        Training.Seeding.Apply(context.Seed + 7919L * (draw + 1));
        int batch = Math.Max(1, Math.Min(context.Pipeline.Training.BatchSize, clean.Count));
        var inputs = new List<Tensor>();
        var targets = new List<Tensor>();
        for (int start = 0; start < clean.Count; start += batch)
        {
            int size = Math.Min(batch, clean.Count - start);
            var (x, y) = augment(clean.Inputs.narrow(0, start, size).clone(), clean.Targets.narrow(0, start, size).clone());
            inputs.Add(x);
            targets.Add(y);
        }
        return (cat(inputs, 0), cat(targets, 0));
    }

    /// <summary>Indices of the examples whose input or target the augmentation changed (all of them when it changed the shape, e.g. a crop).</summary>
    static Tensor Changed(DataSplit clean, Tensor inputs, Tensor targets)
    {
        long n = clean.Count;
        if (!inputs.shape.SequenceEqual(clean.Inputs.shape) || !targets.shape.SequenceEqual(clean.Targets.shape)) return arange(n);
        var changedInput = (inputs.to_type(float64) - clean.Inputs.to_type(float64)).abs().reshape(n, -1).amax([1]).gt(0);
        var changedTarget = (targets.to_type(float64) - clean.Targets.to_type(float64)).abs().reshape(n, -1).amax([1]).gt(0);
        return changedInput.logical_or(changedTarget).nonzero().squeeze(1);
    }

    /// <summary>The reference model's outputs on the given inputs (through the pipeline's transform), in chunks.</summary>
    static Tensor Outputs(CheckContext context, nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        using var noGrad = no_grad();
        model.eval();
        var outputs = new List<Tensor>();
        for (long start = 0; start < inputs.shape[0]; start += 512)
            outputs.Add(model.call(context.Pipeline.Transform(inputs.narrow(0, start, Math.Min(512, inputs.shape[0] - start)))));
        return cat(outputs, 0);
    }

    /// <summary>The reference model's agreement with the given labels, and its predictions (class ids, or values for regression).</summary>
    static (double Score, double[] Predictions) Agreement(CheckContext context, Tensor output, Tensor targets)
    {
        using var scope = NewDisposeScope();
        if (context.Task == TaskKind.Regression)
        {
            var (_, std) = Priors.TargetMoments(context.Data.Train);
            var prediction = output.reshape(output.shape[0], -1).select(1, 0).to_type(float64);
            double mse = (prediction - targets.reshape(targets.shape[0], -1).select(1, 0).to_type(float64)).square().mean().item<double>();
            return (1 / (1 + mse / Math.Max(std * std, 1e-12)), Show.Values(prediction));
        }
        var predicted = output.argmax(-1);
        var valid = targets.ne(Training.Losses.IgnoreIndex);
        double score = predicted.eq(targets).logical_and(valid).sum().item<long>() / (double)Math.Max(1, valid.sum().item<long>());
        return (score, context.Task == TaskKind.Classification ? Show.Values(predicted) : []);
    }

    static void Pairs(Dataset data, Tensor cleanInputs, Tensor cleanTargets, Tensor augmentedInputs, Tensor augmentedTargets, double[] predictions, Evidence evidence)
    {
        int n = (int)Math.Min(16, cleanInputs.shape[0]);
        var before = Show.Values(cleanTargets.narrow(0, 0, n));
        var after = Show.Values(augmentedTargets.narrow(0, 0, n));
        var images = stack([.. Enumerable.Range(0, n).SelectMany(i => new[] { cleanInputs[i], augmentedInputs[i] })]);
        var labels = Enumerable.Range(0, n).SelectMany(i => new[]
        {
            Show.Label(data, before[i]),
            $"{Show.Label(data, after[i], 4)}|{Show.Label(data, predictions.Length > i ? predictions[i] : double.NaN, 4)}",
        }).ToList();
        evidence.Picture(ImageGrid.Render(images, columns: 8, scale: 2, labels),
            "Pairs: the clean example with its label, then the augmented one captioned 'augmented label|what the reference model says'.");
    }
}
