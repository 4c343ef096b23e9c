using Recipe.Bench.Corpus.Data;
using Recipe.Bench.Corpus.Models;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Bench.Corpus.Pipelines;

/// <summary>Table pipelines: wine, breast cancer, digits as 64 columns, synthetic loans with missing values, diabetes regression.</summary>
public static class TablePipelines
{
    public static IEnumerable<CorpusEntry> All()
    {
        yield return CorpusEntry.Correct("wine-bn-mlp-adamw", "table", "MLP + batch norm", () => WinePipeline());
        yield return CorpusEntry.Correct("loans-missing-indicators-mlp", "table (missing, one-hot)", "MLP + dropout", LoansPipeline);
        yield return CorpusEntry.Correct("cancer-logistic-regression", "table (63/37)", "linear", CancerPipeline);
        yield return CorpusEntry.Correct("digits-columns-mlp-dropout", "table (8×8 pixels)", "MLP + dropout", DigitsPipeline);
        yield return CorpusEntry.Correct("diabetes-regression-mlp", "table regression", "MLP", () => DiabetesPipeline(Kit.SquaredError));

        yield return CorpusEntry.WithBug("wine-clamped-loss", "wine-bn-mlp-adamw", "table", "MLP + batch norm", BugSite.Loss,
            "per-example loss clamped at 0.5 (\"robust\" loss instead of gradient clipping)", ["loss-gradient-coverage"],
            () => WinePipeline() with
            {
                Loss = (output, targets) => nn.functional.cross_entropy(output, targets, reduction: nn.Reduction.None).clamp(max: 0.5).mean(),
            });
        yield return CorpusEntry.WithBug("wine-gradients-never-zeroed", "wine-bn-mlp-adamw", "table", "MLP + batch norm", BugSite.Optimizer,
            "an SGD subclass whose zero_grad does nothing (gradients accumulate forever)", ["loss-decreases", "gradient-health"],
            () => WinePipeline() with { CreateOptimizer = (parameters, _) => new OptimizerSetup(new AccumulatingSgd(parameters, 0.02)) });
        yield return CorpusEntry.WithBug("loans-income-column-zeroed", "loans-missing-indicators-mlp", "table (missing, one-hot)", "MLP + dropout", BugSite.Transform,
            "a feature mask meant to drop a column zeroes the income column", ["inputs-at-the-door"],
            () =>
            {
                var mask = ones(CorpusData.Loans.ExampleShape[0]);
                mask[0] = 0;
                return LoansPipeline() with { Transform = stored => stored.mul(mask) };
            });
        yield return CorpusEntry.WithBug("loans-labels-shuffled-separately", "loans-missing-indicators-mlp", "table (missing, one-hot)", "MLP + dropout", BugSite.Provider,
            "provider shuffles the training rows and the labels with two different permutations", ["input-independent-baseline", "dumb-baselines"],
            () =>
            {
                var data = CorpusData.Loans;
                var generator = new Generator(3);
                var rows = randperm(data.Train.Count, generator: generator);
                var labels = randperm(data.Train.Count, generator: generator);
                var shuffled = new Dataset
                {
                    Name = data.Name, Source = data.Source, Format = data.Format, Task = data.Task, ClassNames = data.ClassNames,
                    ExampleShape = data.ExampleShape, Table = data.Table,
                    Train = new DataSplit("train", data.Train.Inputs.index_select(0, rows), data.Train.Targets.index_select(0, labels)),
                    Validation = data.Validation, Test = data.Test,
                };
                return LoansPipeline() with { Data = shuffled };
            });
        yield return CorpusEntry.WithBug("digits-batchnorm-in-a-list", "digits-columns-mlp-dropout", "table (8×8 pixels)", "MLP + batch norm", BugSite.Model,
            "batch-norm layers kept in a List<>: not registered, never switched to eval", ["eval-determinism", "batch-independence"],
            () => DigitsPipeline() with { CreateModel = () => new ListHeldBatchNormMlp(64, 10), CreateLargerModel = null });
        yield return CorpusEntry.WithBug("digits-only-biases-optimized", "digits-columns-mlp-dropout", "table (8×8 pixels)", "MLP + dropout", BugSite.Optimizer,
            "optimizer given parameters.Where(p => p.dim() == 1): only the biases train", ["loss-decreases", "dumb-baselines"],
            () => DigitsPipeline() with { CreateOptimizer = (parameters, _) => new OptimizerSetup(optim.Adam(parameters.Where(p => p.dim() == 1), 1e-3)) });
        yield return CorpusEntry.WithBug("cancer-batch-standardizing-model", "cancer-logistic-regression", "table (63/37)", "MLP", BugSite.Model,
            "the model standardizes its input with the batch's own mean and std", ["batch-independence"],
            () => CancerPipeline() with { CreateModel = () => new SelfStandardizingMlp(30, 2), CreateLargerModel = null });
        yield return CorpusEntry.WithBug("cancer-nll-on-logits", "cancer-logistic-regression", "table (63/37)", "linear", BugSite.Loss,
            "nll_loss on raw logits (log_softmax forgotten): the loss has no floor", ["loss-at-init", "overfit-one-batch"],
            () => CancerPipeline() with { Loss = (output, targets) => nn.functional.nll_loss(output, targets) });
        yield return CorpusEntry.WithBug("diabetes-sum-reduction", "diabetes-regression-mlp", "table regression", "MLP", BugSite.Loss,
            "mse_loss with reduction sum (the batch size multiplies loss and gradients)", ["gradient-health", "loss-at-init"],
            () => DiabetesPipeline((output, targets) => nn.functional.mse_loss(output.squeeze(1), targets, reduction: nn.Reduction.Sum)));
    }

    static Pipeline WinePipeline() => new()
    {
        Data = CorpusData.Wine,
        CreateModel = () => new TabularMlp(13, 3, [32]),
        CreateLargerModel = () => new TabularMlp(13, 3, [64]),
        Loss = Kit.CrossEntropy,
        Transform = stored => stored.alias(),
        CreateOptimizer = (parameters, _) => new OptimizerSetup(optim.AdamW(parameters, 3e-3, weight_decay: 1e-2)),
        Training = new TrainingConfig { Epochs = 40, BatchSize = 16 },
        Description = "wine BN-MLP",
    };

    static Pipeline LoansPipeline()
    {
        long features = CorpusData.Loans.ExampleShape[0];
        return new Pipeline
        {
            Data = CorpusData.Loans,
            CreateModel = () => new TabularMlp(features, 2, [64, 32], dropout: 0.2, batchNorm: false),
            CreateLargerModel = () => new TabularMlp(features, 2, [128, 64], dropout: 0.2, batchNorm: false),
            Loss = Kit.CrossEntropy,
            Transform = stored => stored.alias(),
            CreateOptimizer = Kit.Adam(1e-3),
            Training = new TrainingConfig { Epochs = 10, BatchSize = 64 },
            Description = "loans MLP on standardized numbers, missing indicators and one-hot categories",
        };
    }

    static Pipeline CancerPipeline() => new()
    {
        Data = CorpusData.BreastCancer,
        CreateModel = () => nn.Linear(30, 2),
        Loss = Kit.CrossEntropy,
        Transform = stored => stored.alias(),
        CreateOptimizer = (parameters, _) => new OptimizerSetup(optim.SGD(parameters, 0.05)),
        Training = new TrainingConfig { Epochs = 20, BatchSize = 32 },
        Description = "breast cancer logistic regression (default init)",
    };

    static Pipeline DigitsPipeline() => new()
    {
        Data = CorpusData.Digits,
        CreateModel = () => new TabularMlp(64, 10, [64], dropout: 0.2, batchNorm: false),
        CreateLargerModel = () => new TabularMlp(64, 10, [128], dropout: 0.2, batchNorm: false),
        Loss = Kit.CrossEntropy,
        Transform = stored => stored.alias(),
        CreateOptimizer = Kit.Adam(1e-3),
        Training = new TrainingConfig { Epochs = 15, BatchSize = 32 },
        Description = "digits as 64 columns, MLP with dropout",
    };

    static Pipeline DiabetesPipeline(LossFunction loss)
    {
        float mean = Kit.TargetMean(CorpusData.Diabetes);
        return new Pipeline
        {
            Data = CorpusData.Diabetes,
            CreateModel = () => Kit.WithOutputBias(new TabularMlp(10, 1, [32], batchNorm: false), mean),
            CreateLargerModel = () => Kit.WithOutputBias(new TabularMlp(10, 1, [64], batchNorm: false), mean),
            Loss = loss,
            Transform = stored => stored.alias(),
            CreateOptimizer = Kit.Adam(1e-2),
            Training = new TrainingConfig { Epochs = 40, BatchSize = 32 },
            Description = "diabetes regression MLP, output bias at the target mean",
        };
    }
}

/// <summary>A user's SGD for "gradient accumulation" whose zero_grad was left empty: gradients are never cleared.</summary>
public sealed class AccumulatingSgd(IEnumerable<Parameter> parameters, double lr) : SGD(parameters, lr)
{
    public override void zero_grad() { }
}
