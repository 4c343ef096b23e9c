using Recipe.Bench.Corpus.Data;
using Recipe.Bench.Corpus.Models;
using Recipe.Checks;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Recipe.Bench.Corpus.Pipelines;

/// <summary>Signal pipelines: wave-shape classification and a frequency regression over 96-sample series.</summary>
public static class SignalPipelines
{
    public static IEnumerable<CorpusEntry> All()
    {
        yield return CorpusEntry.Correct("waves-conv-gru", "signal", "Conv1d → GRU", ConvGruPipeline);
        yield return CorpusEntry.Correct("waves-bn-conv1d-warmup-cosine", "signal", "Conv1d + batch norm", () => BatchNormPipeline(batchStatisticsAlways: false));
        yield return CorpusEntry.Correct("frequency-regression-conv1d", "signal regression", "Conv1d + batch norm", FrequencyPipeline);

        yield return CorpusEntry.WithBug("waves-batch-statistics-at-eval", "waves-bn-conv1d-warmup-cosine", "signal", "Conv1d + batch norm", BugSite.Model,
            "functional batch_norm with training: true: batch statistics at evaluation too", ["eval-determinism", "batch-independence"],
            () => BatchNormPipeline(batchStatisticsAlways: true));
        yield return CorpusEntry.WithBug("waves-raw-millivolts", "waves-conv-gru", "signal", "Conv1d → GRU", BugSite.Transform,
            "no scaling: raw millivolts (offset 500, amplitude ~150) enter the model", ["inputs-at-the-door"],
            () => ConvGruPipeline() with { Transform = stored => stored.alias() });
        yield return CorpusEntry.WithBug("waves-exponential-decay-per-step", "waves-bn-conv1d-warmup-cosine", "signal", "Conv1d + batch norm", BugSite.Optimizer,
            "ExponentialLR(gamma 0.95) meant per epoch, stepped every batch: ~0 after 150 steps", ["lr-schedule"],
            () => BatchNormPipeline(batchStatisticsAlways: false) with
            {
                CreateOptimizer = (parameters, _) =>
                {
                    var adam = optim.Adam(parameters, 3e-3);
                    return new OptimizerSetup(adam, ExponentialLR(adam, 0.95));
                },
            });
    }

    static Tensor Standardize(Tensor stored) => stored.sub(500f).div(100f);

    static Pipeline ConvGruPipeline() => new()
    {
        Data = CorpusData.Waves,
        CreateModel = () => new ConvGru(4),
        CreateLargerModel = () => new ConvGru(4, hidden: 48),
        Loss = Kit.CrossEntropy,
        Transform = Standardize,
        CreateOptimizer = Kit.Adam(3e-3),
        Training = new TrainingConfig { Epochs = 8, BatchSize = 32 },
        Description = "wave shapes, Conv1d → GRU",
    };

    static Pipeline BatchNormPipeline(bool batchStatisticsAlways) => ConvGruPipeline() with
    {
        CreateModel = () => new BatchNormConv1d(4, batchStatisticsAlways: batchStatisticsAlways),
        CreateLargerModel = () => new BatchNormConv1d(4, channels: 24, batchStatisticsAlways: batchStatisticsAlways),
        CreateOptimizer = (parameters, plan) =>
        {
            var adam = optim.Adam(parameters, 3e-3);
            int warmup = Math.Max(1, plan.TotalSteps / 10);
            return new OptimizerSetup(adam, LambdaLR(adam, step => step < warmup
                ? (step + 1) / (double)warmup
                : 0.5 * (1 + Math.Cos(Math.PI * (step - warmup) / Math.Max(1, plan.TotalSteps - warmup)))));
        },
        Description = "wave shapes, BN Conv1d, warm-up then cosine",
    };

    static Pipeline FrequencyPipeline()
    {
        float mean = Kit.TargetMean(CorpusData.Frequency);
        return new Pipeline
        {
            Data = CorpusData.Frequency,
            CreateModel = () => Kit.WithOutputBias(new BatchNormConv1d(1), mean),
            CreateLargerModel = () => Kit.WithOutputBias(new BatchNormConv1d(1, channels: 24), mean),
            Loss = Kit.SquaredError,
            Transform = Standardize,
            CreateOptimizer = Kit.Adam(3e-3),
            Training = new TrainingConfig { Epochs = 8, BatchSize = 32 },
            Description = "sine frequency regression, BN Conv1d",
        };
    }
}
