using Recipe.Data;
using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Overfit one batch: a handful of examples (distinct labels where possible) must be fit to ~zero loss,
/// with predictions that end on the labels. If a model cannot memorize four examples, something between
/// the inputs, the labels and the loss is broken — or the model is too small or too slow to get there in the
/// budget. A second attempt tells the two apart: the pipeline's larger model (or, without one, the same model
/// with twice the steps) fits the batch when only capacity or time was missing, and fails the same way when the
/// pipeline is broken. Only the second case blocks.
/// </summary>
public sealed class OverfitOneBatch : ICheck
{
    /// <summary>How often (in steps) the batch is measured to stop early.</summary>
    const int MeasureEvery = 10;

    /// <summary>Cross-entropy from 2.3 to below 0.12; for L2, 5% of the variance at init.</summary>
    public static readonly Condition LossToZero = Condition.AtMost("loss on the batch after overfitting, as a share of its value at init", 0.05, format: "P0");
    public static readonly Condition AllCorrect = Condition.AtLeast("accuracy on the batch after overfitting", 1, format: "P0");
    /// <summary>The pipeline's own model within the first budget; a miss that the second attempt makes up for only warns.</summary>
    public static readonly Condition FirstAttemptFits =
        Condition.AtMost("loss on the batch with the pipeline's model in the first budget, as a share of its value at init", 0.05, Verdict.Warn, "P0");

    const string Name = "overfit-one-batch";
    public string Id => Name;
    public int Stage => 2;
    public string Hypothesis => "Training on one tiny batch (a few examples; one line for text) drives its loss to ~0 and the predictions onto the labels.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [LossToZero, AllCorrect, FirstAttemptFits];

    public CheckOutcome Run(CheckContext context)
    {
        var data = context.Data;
        // Every line of text starts from the same context (the boundary token), so two lines with different first characters
        // cannot both be fit exactly: for sequences the batch is one line.
        int count = data.Task == TaskKind.Sequence ? 1 : context.Options.OverfitExamples;
        using var batch = data.Train.Subset("overfit-batch", Pick(data.Train, data.Task, count));
        using var inputs = context.Pipeline.Transform(batch.Inputs);
        var first = Attempt(context, batch, inputs, null, context.Options.OverfitMaxSteps, "the pipeline's model");
        var evidence = new Evidence().Number("examples", batch.Count);
        evidence.Test(FirstAttemptFits, first.Share);
        var attempts = new List<Try> { first };
        try
        {
            if (!first.Fits)
            {
                // Time or capacity? First the same model for twice as long, then the larger model.
                attempts.Add(Attempt(context, batch, inputs, null, 2 * context.Options.OverfitMaxSteps, "the pipeline's model, twice the steps"));
                if (!attempts[^1].Fits && context.Pipeline.CreateLargerModel is { } larger)
                    attempts.Add(Attempt(context, batch, inputs, larger, context.Options.OverfitMaxSteps, "the pipeline's larger model"));
            }
            var diagnosis = OverfitDiagnosis.Of(attempts, RecipesOwnModel(context));
            var judged = diagnosis.Judged;
            foreach (var retry in attempts.Skip(1))
                evidence.Number($"{retry.Key}_steps", retry.Steps).Number($"{retry.Key}_loss_share", retry.Share);
            if (attempts.Count > 1) evidence.Number("first_attempt_loss_share", first.Share).Note(diagnosis.Explanation);
            evidence.Number("steps", judged.Steps).Number("loss_at_init", judged.Initial).Number("loss_after", judged.Final).Number("loss_share", judged.Share);
            evidence.Test(LossToZero, judged.Share);
            if (judged.Accuracy is { } correct)
            {
                evidence.Number("accuracy_after", correct);
                evidence.Test(AllCorrect, correct);
            }
            Pictures(context, batch, judged.Model, inputs, judged.Trace, evidence);
            string retried = ReferenceEquals(judged, first) ? "" : $" with {judged.Description} (the first attempt left {Show.P(first.Share)})";
            return CheckOutcome.FromConditions(evidence,
                $"{batch.Count} {(batch.Count == 1 ? "example" : "examples")}, {judged.Steps} steps{retried}: loss {Show.N(judged.Initial)} → {Show.N(judged.Final)} " +
                $"({Show.P(judged.Share)} of init)" + (judged.Accuracy is { } a ? $", accuracy {Show.P(a)}" : "") +
                (attempts.Count > 1 ? $"; {diagnosis.Summary}" : ""),
                diagnosis.Advice);
        }
        finally
        {
            foreach (var attempt in attempts) attempt.Dispose();
        }
    }

    /// <summary>
    /// Whether the pipeline's model comes from Recipe's own zoo (tested to memorize small batches): then a larger model that fits
    /// means capacity. A user's model that only its larger sibling rescues stays the suspect — the bug may live in it alone.
    /// </summary>
    static bool RecipesOwnModel(CheckContext context)
    {
        using var model = context.NewModel();
        return model.GetType().Assembly == typeof(OverfitOneBatch).Assembly;
    }

    /// <summary>One try at memorizing the batch: the trained model (dispose it), the loss before and after, and the prediction trace.</summary>
    internal sealed record Try(nn.Module<Tensor, Tensor> Model, string Description, int Steps, double Initial, double Final, double? Accuracy, PredictionTrace Trace,
        bool Larger = false, bool Longer = false) : IDisposable
    {
        /// <summary>Prefix of this attempt's evidence numbers.</summary>
        public string Key => Larger ? "larger_model" : Longer ? "longer_attempt" : "first_attempt";

        public double Share
        {
            get
            {
                double share = Final / Math.Max(Initial, 1e-12);
                return double.IsNaN(share) ? double.PositiveInfinity : share;
            }
        }
        public bool Fits => LossToZero.Holds(Share) && (Accuracy is null || AllCorrect.Holds(Accuracy.Value));
        public void Dispose() => Model.Dispose();
    }

    static Try Attempt(CheckContext context, DataSplit batch, Tensor inputs, Func<nn.Module<Tensor, Tensor>>? createModel, int steps, string description)
    {
        var data = context.Data;
        double initial;
        using (var fresh = context.NewModel(createModel)) initial = Measure(context, fresh, inputs, batch.Targets).Loss;
        var trace = data.Task == TaskKind.Regression
            ? PredictionTrace.OfValues(Show.Values(batch.Targets), Priors.TargetMoments(data.Train).Std)
            : PredictionTrace.OfProbabilities(batch.Count);
        var recorder = new PredictionRecorder(inputs, batch.Targets, data.Task, MeasureEvery, trace);
        var stop = new StopWhenFit(context, inputs, batch.Targets, initial * LossToZero.Threshold / 10);
        var run = context.Train(new RunSpec($"{Name}: {batch.Count} examples, {description}", steps)
        {
            TrainSplit = batch, BatchSize = batch.Count, Augment = false, Hooks = [recorder, stop], CreateModel = createModel,
        });
        var (final, accuracy) = Measure(context, run.Model, inputs, batch.Targets);
        return new Try(run.Model, description, run.Training.Steps, initial, final, accuracy, trace,
            Larger: createModel is not null, Longer: createModel is null && steps > context.Options.OverfitMaxSteps);
    }

    /// <summary>The first example of each of the first distinct labels (classification), else the first examples.</summary>
    static long[] Pick(DataSplit train, TaskKind task, int count)
    {
        if (task != TaskKind.Classification) return Enumerable.Range(0, Math.Min(count, train.Count)).Select(i => (long)i).ToArray();
        var labels = Show.Values(train.Targets);
        var picked = new List<long>();
        var seen = new HashSet<double>();
        for (int i = 0; i < labels.Length && picked.Count < count; i++)
            if (seen.Add(labels[i])) picked.Add(i);
        for (int i = 0; i < labels.Length && picked.Count < count; i++)
            if (!picked.Contains(i)) picked.Add(i);
        return picked.ToArray();
    }

    /// <summary>The task's standard loss and accuracy on the batch, in eval mode.</summary>
    static (double Loss, double? Accuracy) Measure(CheckContext context, nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets)
    {
        using var _ = EvalMode.Of(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = model.call(inputs);
        double loss = context.StandardLoss(output, targets).to_type(float64).item<double>();
        if (context.Task == TaskKind.Regression) return (loss, null);
        var valid = targets.ne(Losses.IgnoreIndex);
        return (loss, output.argmax(-1).eq(targets).logical_and(valid).sum().item<long>() / (double)Math.Max(1, valid.sum().item<long>()));
    }

    static void Pictures(CheckContext context, DataSplit batch, nn.Module<Tensor, Tensor> model, Tensor inputs, PredictionTrace trace, Evidence evidence)
    {
        var data = context.Data;
        var steps = trace.Steps.Select(s => (double)s).ToArray();
        var series = Enumerable.Range(0, batch.Count).Select(i =>
            ($"example {i} ({Show.Label(data, trace.Labels[i])})", steps, trace.Predictions.Select(p => p[i]).ToArray())).ToList();
        if (data.Task == TaskKind.Regression)
            series.AddRange(Enumerable.Range(0, batch.Count).Select(i => ($"label {i}", steps, Enumerable.Repeat(trace.Labels[i], steps.Length).ToArray())));
        evidence.Picture(Charts.Lines("labels vs predictions while overfitting the batch", "step",
                data.Task == TaskKind.Regression ? "prediction (flat lines: labels)" : "probability of the label (label = 1)", series),
            "Every prediction must end on its label: probability 1 for classes and tokens, the flat label line for regression.");

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var output = model.call(inputs);
        if (Show.IsImages(data))
        {
            // Targets may be class ids or float values (image regression): read them as numbers, not as one type.
            var predicted = data.Task == TaskKind.Classification ? Show.Values(output.argmax(-1)) : Show.Values(output.reshape(batch.Count, -1).select(1, 0));
            var targets = Show.Values(batch.Targets);
            var labels = Enumerable.Range(0, batch.Count)
                .Select(i => $"{Show.Label(data, targets[i], 4)}|{Show.Label(data, predicted[i], 4)}").ToList();
            evidence.Picture(ImageGrid.Render(batch.Inputs, columns: batch.Count, scale: 3, labels),
                "The batch with 'label|prediction' under each image, after overfitting.");
        }
        else if (data.Task == TaskKind.Sequence)
        {
            var predicted = output.argmax(-1);
            evidence.Table("targets vs predictions after overfitting (· = ignored)", ["target", "prediction"],
                Enumerable.Range(0, batch.Count).Select(r => (IReadOnlyList<string>)[
                    Show.Tokens(data.Vocabulary, Show.Row(batch.Targets, r)),
                    Show.Tokens(data.Vocabulary, Show.Row(predicted, r).Zip(Show.Row(batch.Targets, r), (p, t) => t < 0 ? -1 : p))]));
        }
    }

    /// <summary>Ends the run once the batch loss is far below the target (every few steps).</summary>
    sealed class StopWhenFit(CheckContext context, Tensor inputs, Tensor targets, double goal) : ITrainingHook
    {
        public StopRequest? OnStepEnd(TrainingContext training, StepInfo step)
        {
            if (step.Step % MeasureEvery != 0) return null;
            var (loss, accuracy) = Measure(context, training.Model, inputs, targets);
            return loss <= goal && accuracy is null or >= 1 ? new StopRequest($"batch loss {loss:G3} reached the goal") : null;
        }
    }
}
