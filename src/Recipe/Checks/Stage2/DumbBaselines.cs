using Recipe.Data;
using Recipe.Models;
using Recipe.Progress;
using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Dumb baselines, recorded on the whole validation split: the prior (majority class, mean predictor,
/// unigram for text) and a linear model (logistic/linear regression on the model's inputs, a bigram for
/// text). The pipeline's model must beat the prior clearly, and should beat the linear model.
/// </summary>
public sealed class DumbBaselines : ICheck
{
    public static readonly Condition BeatsPrior = Condition.AtMost("model validation loss, as a share of the prior predictor's", 0.9, format: "P0");
    /// <summary>
    /// Compared by validation loss, the quantity both optimize, against a linear model given the same budget as the
    /// model's short run (the same steps and batch size): the converged linear model is recorded as the baseline to
    /// beat after real training, but a short run cannot fairly be held to it. On a small validation split the loss is
    /// a steadier measure than the accuracy.
    /// </summary>
    public static readonly Condition BeatsLinear = Condition.AtMost("model validation loss, as a share of a linear model's trained on the same budget", 1, Verdict.Warn, "P0");

    /// <summary>
    /// The linear model is itself held to the prior predictor: a linear baseline worse than predicting the mean (or the
    /// majority class) measures a broken baseline (unscaled targets, too few steps), not the data, and is no bar to clear.
    /// </summary>
    public static readonly Condition LinearBeatsPrior = Condition.AtMost("linear model's validation loss, as a share of the prior predictor's", 1, Verdict.Warn, "P0");

    public string Id => "dumb-baselines";
    public int Stage => 2;
    public string Hypothesis => "The model beats the dumb baselines on validation: clearly the prior predictor (majority class / mean / unigram), and the linear model.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [BeatsPrior, BeatsLinear, LinearBeatsPrior];

    public CheckOutcome Run(CheckContext context)
    {
        var data = context.Data;
        var options = context.Options;
        var evidence = new Evidence();
        var (priorName, priorLoss, priorAccuracy) = Prior(data);
        // No bigram when the stored text is not token ids (a provider's own encoding): the prior is then the only bar.
        var linear = Linear(context, options.LinearSteps, options.LinearBatchSize);
        var model = context.BaseRun.Validation;
        var sameBudget = linear is null ? null : Linear(context, context.BaseRun.Training.Steps, options.ShortRunBatchSize);
        var blind = context.InputIndependentRun.Validation;

        evidence.Metric($"{priorName}_loss", priorLoss);
        if (priorAccuracy is { } pa) evidence.Metric($"{priorName}_accuracy", pa);
        if (linear is not null) evidence.Metric("linear_loss", linear.Loss);
        if (linear?.Accuracy is { } la) evidence.Metric("linear_accuracy", la);
        if (sameBudget is not null) evidence.Number("linear_same_budget_loss", sameBudget.Loss);
        if (sameBudget?.Accuracy is { } sa) evidence.Number("linear_same_budget_accuracy", sa);
        evidence.Metric("model_loss", model.Loss);
        if (model.Accuracy is { } ma) evidence.Metric("model_accuracy", ma);
        evidence.Number("model_steps", context.BaseRun.Training.Steps).Number("linear_steps", context.Options.LinearSteps);

        double share = model.Loss / Math.Max(priorLoss, 1e-12);
        evidence.Test(BeatsPrior, double.IsNaN(share) ? double.PositiveInfinity : share);
        if (sameBudget is not null && linear is not null)
        {
            double linearShare = model.Loss / Math.Max(sameBudget.Loss, 1e-12);
            evidence.Test(BeatsLinear, double.IsNaN(linearShare) ? double.PositiveInfinity : linearShare);
            double linearPriorShare = linear.Loss / Math.Max(priorLoss, 1e-12);
            evidence.Test(LinearBeatsPrior, double.IsNaN(linearPriorShare) ? double.PositiveInfinity : linearPriorShare);
        }
        else evidence.Note("No bigram baseline: the stored text is not token ids aligned with the targets, so only the prior is a bar.");
        var run = context.BaseRun.Training;
        evidence.Note($"Training budgets: the linear model saw {(long)options.LinearSteps * Math.Min(options.LinearBatchSize, data.Train.Count)} examples " +
                      $"({options.LinearSteps} Adam steps at {options.LinearLearningRate}), the model {(long)run.Steps * Math.Min(options.ShortRunBatchSize, data.Train.Count)} " +
                      "(the short run); it is held to a linear model given that same budget, and the converged linear model is the bar for the trained model.");

        var rows = new List<(string Name, double Loss, double? Accuracy)>
        {
            (PriorLabel(data.Task), priorLoss, priorAccuracy),
            ("input-independent", blind.Loss, blind.Accuracy),
        };
        if (linear is not null && sameBudget is not null)
        {
            rows.Add((data.Task == TaskKind.Sequence ? "bigram" : "linear", linear.Loss, linear.Accuracy));
            rows.Add(($"{(data.Task == TaskKind.Sequence ? "bigram" : "linear")} ({context.BaseRun.Training.Steps} steps, as the model)", sameBudget.Loss, sameBudget.Accuracy));
        }
        rows.Add(($"model ({context.BaseRun.Training.Steps} steps)", model.Loss, model.Accuracy));
        evidence.Table("baselines on the whole validation split", ["predictor", "loss", "accuracy"],
            rows.Select(r => (IReadOnlyList<string>)[r.Name, Show.N(r.Loss), r.Accuracy is { } a ? Show.P(a) : "n/a"]));
        bool accuracies = rows.All(r => r.Accuracy is not null);
        evidence.Picture(Charts.Bars(accuracies ? "validation accuracy" : "validation loss", rows.Select(r => r.Name).ToList(),
                rows.Select(r => accuracies ? r.Accuracy!.Value : r.Loss).ToList()),
            accuracies
                ? "The model's bar must stand clearly above the prior and the input-independent baseline; it is judged against the linear model by the validation loss (table)."
                : "The model's bar must stand clearly below the prior and the input-independent baseline, and should be below the linear model's.");

        string Score(double loss, double? accuracy) => accuracy is { } a ? $"{Show.P(a)} (loss {Show.N(loss)})" : $"loss {Show.N(loss)}";
        return CheckOutcome.FromConditions(evidence,
            $"validation — {PriorLabel(data.Task)}: {Score(priorLoss, priorAccuracy)}; " +
            (linear is null || sameBudget is null ? $"model: {Score(model.Loss, model.Accuracy)} (no bigram: the stored text is not token ids)"
                : $"linear: {Score(linear.Loss, linear.Accuracy)}; model: {Score(model.Loss, model.Accuracy)}; " +
                  $"linear with the model's budget: {Score(sameBudget.Loss, sameBudget.Accuracy)}"),
            evidence.Conditions.Any(c => c.Title == BeatsPrior.Title && c.Verdict != Verdict.Pass)
                ? (SlowLearning.Advice(context) ?? "") + "The model does not beat predicting the prior: it learns nothing from the inputs. Check the labels (shuffled, zeroed, misaligned) " +
                  "and that inputs reach the model; see input-independent-baseline and overfit-one-batch."
                : evidence.Conditions.Any(c => c.Title == LinearBeatsPrior.Title && c.Verdict != Verdict.Pass)
                    ? "The linear baseline does not beat predicting the prior, so it is no bar: for a regression, standardize the targets " +
                      "(a target in the hundreds needs thousands of Adam steps at 3e-4 to reach its mean); otherwise give it more steps or a larger learning rate."
                    : "The model does not beat a linear model yet: train it longer, check its capacity and learning rate, or keep the linear model as " +
                      "the bar to clear in stage 3.");
    }

    static string PriorLabel(TaskKind task) => task switch
    {
        TaskKind.Regression => "mean predictor",
        TaskKind.Sequence => "unigram",
        _ => "majority class",
    };

    /// <summary>The prior predictor on the validation split: (name, loss, accuracy).</summary>
    static (string Name, double Loss, double? Accuracy) Prior(Dataset data)
    {
        using var scope = NewDisposeScope();
        var y = data.Validation.Targets;
        if (data.Task == TaskKind.Regression)
        {
            var (mean, _) = Priors.TargetMoments(data.Train);
            return ("mean_predictor", (y.to_type(float64) - mean).square().mean().item<double>(), null);
        }
        var logPrior = Priors.LogPrior(data);
        long top = logPrior.argmax().item<long>();
        var valid = y.ne(Losses.IgnoreIndex);
        double accuracy = y.eq(top).logical_and(valid).sum().item<long>() / (double)Math.Max(1, valid.sum().item<long>());
        return (data.Task == TaskKind.Sequence ? "unigram" : "majority", Priors.CrossEntropy(logPrior, y), accuracy);
    }

    /// <summary>
    /// Logistic / linear regression on the flattened model inputs (its width measured from the transform, which may add or
    /// drop features), trained with Adam; for tokens, a bigram table on the stored token ids (the transform may turn them
    /// into windows or one-hot vectors, which a table cannot index). Null when the stored text is not token ids aligned with the targets.
    /// </summary>
    static EvaluationResult? Linear(CheckContext context, int steps, int batchSizeWanted)
    {
        var data = context.Data;
        var options = context.Options;
        Func<Tensor, Tensor> transform;
        if (data.Task == TaskKind.Sequence)
        {
            if (data.Vocabulary is null || data.Train.Inputs.is_floating_point() || !data.Train.Inputs.shape.SequenceEqual(data.Train.Targets.shape)) return null;
            transform = stored => stored.clone();
        }
        else
        {
            transform = stored =>
            {
                using var x = context.Pipeline.Transform(stored);
                return x.to_type(float32).reshape(x.shape[0], -1);
            };
        }
        Seeding.Apply(context.Seed);
        using nn.Module<Tensor, Tensor> model = data.Task == TaskKind.Sequence
            ? nn.Embedding(data.Vocabulary!.Size, data.Vocabulary.Size)
            : new Mlp(InputWidth(data, transform), [], ModelFactory.OutputsFor(data));
        using var optimizer = new FusedAdam(model.parameters(), options.LinearLearningRate);
        using var identity = InputNormalizer.Identity();
        int batchSize = Math.Min(batchSizeWanted, data.Train.Count);
        int perEpoch = (data.Train.Count + batchSize - 1) / batchSize;
        var config = new TrainingConfig
        {
            BatchSize = batchSize, Epochs = (steps + perEpoch - 1) / perEpoch, MaxSteps = steps,
            LearningRate = options.LinearLearningRate, Seed = context.Seed, EvaluateValidation = false,
        };
        new Trainer([new ProgressHook(context.Progress, "dumb-baselines: linear model")])
            .Fit(new TrainingContext(model, data, identity, optimizer, config) { Transform = transform, Loss = context.StandardLoss });
        return context.Evaluate(model, data.Validation, transform);
    }

    /// <summary>Values per example after the transform (the flattened model input of one example).</summary>
    static long InputWidth(Dataset data, Func<Tensor, Tensor> transform)
    {
        using var scope = NewDisposeScope();
        return transform(data.Train.Inputs.narrow(0, 0, 1)).shape[1];
    }
}
