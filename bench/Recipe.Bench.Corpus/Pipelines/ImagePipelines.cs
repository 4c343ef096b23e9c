using Recipe.Bench.Corpus.Data;
using Recipe.Bench.Corpus.Models;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Recipe.Bench.Corpus.Pipelines;

/// <summary>Image pipelines: a Fashion-MNIST slice, drawn arrows, colour blobs, and a spot-position regression.</summary>
public static class ImagePipelines
{
    public static IEnumerable<CorpusEntry> All()
    {
        yield return CorpusEntry.Correct("fashion-tutorial-mlp", "image", "flattened-image MLP", TutorialMlpPipeline);
        yield return CorpusEntry.Correct("fashion-bn-cnn-sgd-cosine", "image", "CNN + batch norm", () =>
        {
            var data = CorpusData.Fashion;
            var (mean, std) = Kit.Moments(data, 255f);
            return new Pipeline
            {
                Data = data,
                CreateModel = () => new BatchNormCnn(1, 28, 10),
                CreateLargerModel = () => new BatchNormCnn(1, 28, 10, width: 12),
                Loss = Kit.CrossEntropy,
                Transform = stored => stored.to_type(float32).div(255f).sub(mean).div(std),
                CreateOptimizer = (parameters, plan) =>
                {
                    var sgd = optim.SGD(parameters, 0.05, momentum: 0.9);
                    return new OptimizerSetup(sgd, CosineAnnealingLR(sgd, plan.TotalSteps));
                },
                Training = new TrainingConfig { Epochs = 4, BatchSize = 64 },
                Description = "BN-CNN, SGD momentum, cosine over the run",
            };
        });
        yield return CorpusEntry.Correct("arrows-cnn-shift-augment", "image", "CNN", () => ArrowsPipeline(ShiftByOnePixel));
        yield return CorpusEntry.Correct("blobs-rgb-cnn", "image (RGB)", "CNN", () => BlobsPipeline(bgrStatistics: false));

        yield return CorpusEntry.WithBug("fashion-mlp-softmax-then-ce", "fashion-tutorial-mlp", "image", "flattened-image MLP", BugSite.Model,
            "softmax at the end of the model, then cross_entropy (a double softmax)", ["overfit-one-batch", "loss-at-init"],
            () => TutorialMlpPipeline() with { CreateModel = () => new TutorialMlp(784, 10, softmaxAtTheEnd: true) });
        yield return CorpusEntry.WithBug("fashion-patch-attention-view", "fashion-tutorial-mlp", "image", "self-attention over patches", BugSite.Model,
            "tokens made sequence-first with view instead of permute; probabilities out", ["batch-independence"],
            () => AttentionPipeline(viewInsteadOfPermute: true));
        yield return CorpusEntry.WithBug("fashion-cnn-dropout-flag-inverted", "fashion-bn-cnn-sgd-cosine", "image", "CNN + batch norm", BugSite.Model,
            "functional dropout with training: !training (on at evaluation, off in training)", ["eval-determinism"],
            () => TutorialMlpPipeline() with { CreateModel = () => new BatchNormCnn(1, 28, 10, dropoutFlagInverted: true), CreateLargerModel = null });
        yield return CorpusEntry.WithBug("fashion-mlp-stats-of-wrong-scale", "fashion-tutorial-mlp", "image", "flattened-image MLP", BugSite.Transform,
            "mean/std measured on [0,1] pixels applied to raw 0..255 pixels", ["inputs-at-the-door"],
            () =>
            {
                var (mean, std) = Kit.Moments(CorpusData.Fashion, 255f);
                return TutorialMlpPipeline() with { Transform = stored => stored.to_type(float32).sub(mean).div(std) };
            });
        yield return CorpusEntry.WithBug("fashion-mlp-reshape-pixels-first", "fashion-tutorial-mlp", "image", "flattened-image MLP", BugSite.Transform,
            "flattened with reshape(784, -1).T instead of reshape(-1, 784): each row mixes examples", ["batch-independence"],
            () => TutorialMlpPipeline() with { Transform = stored => stored.to_type(float32).div(255f).sub(0.5f).div(0.5f).reshape(784, -1).T });
        yield return CorpusEntry.WithBug("blobs-bgr-channel-statistics", "blobs-rgb-cnn", "image (RGB)", "CNN", BugSite.Transform,
            "per-channel mean/std listed in BGR order applied to RGB images", ["inputs-at-the-door"],
            () => BlobsPipeline(bgrStatistics: true));
        yield return CorpusEntry.WithBug("arrows-horizontal-flip", "arrows-cnn-shift-augment", "image", "CNN", BugSite.Provider,
            "random horizontal flip per image on arrows (left and right swap, labels do not)", ["augmentation-consistency"],
            () => ArrowsPipeline((inputs, targets) =>
            {
                using var flip = rand(inputs.shape[0]).lt(0.5).reshape(-1, 1, 1, 1);
                return (where(flip, inputs.flip(3), inputs), targets);
            }));
        yield return CorpusEntry.WithBug("arrows-vertical-flip-per-batch", "arrows-cnn-shift-augment", "image", "CNN", BugSite.Provider,
            "one coin per batch: the whole batch flipped upside down (up and down swap)", ["augmentation-consistency"],
            () => ArrowsPipeline((inputs, targets) => rand(1).item<float>() < 0.5f ? (inputs.flip(2), targets) : (inputs, targets)));
        yield return CorpusEntry.WithBug("fashion-cnn-steplr-per-batch", "fashion-bn-cnn-sgd-cosine", "image", "CNN + batch norm", BugSite.Optimizer,
            "StepLR(step_size 1, gamma 0.7) meant per epoch, stepped every batch", ["lr-schedule"],
            () => TutorialMlpPipeline() with
            {
                CreateModel = () => new BatchNormCnn(1, 28, 10),
                CreateLargerModel = null,
                CreateOptimizer = (parameters, _) =>
                {
                    var adam = optim.Adam(parameters, 1e-3);
                    return new OptimizerSetup(adam, StepLR(adam, 1, 0.7));
                },
            });
        yield return CorpusEntry.WithBug("fashion-labels-taken-as-one-based", "fashion-tutorial-mlp", "image", "flattened-image MLP", BugSite.Loss,
            "cross_entropy(output, (targets - 1).clamp(0)): labels assumed 1-based", ["dumb-baselines"],
            () => TutorialMlpPipeline() with { Loss = (output, targets) => nn.functional.cross_entropy(output, targets.sub(1).clamp(0)) });
        yield return CorpusEntry.WithBug("fashion-optimizer-of-first-model", "fashion-tutorial-mlp", "image", "flattened-image MLP", BugSite.Optimizer,
            "optimizer built over a model made once in the provider, not the one trained", ["loss-decreases"],
            () =>
            {
                var first = new TutorialMlp(784, 10);
                return TutorialMlpPipeline() with { CreateOptimizer = (_, _) => new OptimizerSetup(optim.Adam(first.parameters(), 1e-3)) };
            });
        yield return CorpusEntry.WithBug("fashion-validation-from-train", "fashion-tutorial-mlp", "image", "flattened-image MLP", BugSite.Provider,
            "validation split made of training images (a leak)", ["prediction-dynamics"],
            () =>
            {
                var data = CorpusData.Fashion;
                var leaky = new Dataset
                {
                    Name = data.Name, Source = data.Source, Format = data.Format, Task = data.Task, ClassNames = data.ClassNames,
                    ExampleShape = data.ExampleShape, Train = CheckContext.First(data.Train, data.Train.Count, "train"),
                    Validation = CheckContext.First(data.Train, 500, "validation"), Test = CheckContext.First(data.Test, 200, "test"),
                };
                return TutorialMlpPipeline() with { Data = leaky };
            });
        yield return CorpusEntry.WithBug("fashion-unseeded-subsample", "fashion-tutorial-mlp", "image", "flattened-image MLP", BugSite.Provider,
            "training subsample drawn with new Random() (unseeded) once per process", ["seed-reproducible"],
            UnseededSubsample, freshProcess: true);

        yield return CorpusEntry.Correct("spot-regression-cnn", "image regression", "CNN", () => SpotPipeline(Kit.SquaredError));
        yield return CorpusEntry.WithBug("spot-regression-broadcast-loss", "spot-regression-cnn", "image regression", "CNN", BugSite.Loss,
            "mse_loss((B,1) output, (B) targets): broadcasts to (B,B), the model learns the mean", ["overfit-one-batch", "dumb-baselines"],
            () => SpotPipeline((output, targets) => nn.functional.mse_loss(output, targets)));
    }

    /// <summary>The tutorial: ToTensor + Normalize((0.5,), (0.5,)), flatten, MLP, Adam 1e-3.</summary>
    static Pipeline TutorialMlpPipeline() => new()
    {
        Data = CorpusData.Fashion,
        CreateModel = () => new TutorialMlp(784, 10),
        CreateLargerModel = () => new TutorialMlp(784, 10, hidden: 256),
        Loss = Kit.CrossEntropy,
        Transform = stored => stored.to_type(float32).div(255f).sub(0.5f).div(0.5f),
        CreateOptimizer = Kit.Adam(1e-3),
        Training = new TrainingConfig { Epochs = 5, BatchSize = 64 },
        Description = "tutorial MLP",
    };

    static Pipeline AttentionPipeline(bool viewInsteadOfPermute) => TutorialMlpPipeline() with
    {
        CreateModel = () => new PatchAttention(28, 10, viewInsteadOfPermute: viewInsteadOfPermute),
        CreateLargerModel = null,
        Loss = (probabilities, targets) => nn.functional.nll_loss(probabilities.clamp_min(1e-8).log(), targets),
    };

    static Pipeline ArrowsPipeline(Augmentation augmentation) => new()
    {
        Data = CorpusData.Arrows,
        CreateModel = () => new PlainCnn(1, 12, 4),
        CreateLargerModel = () => new PlainCnn(1, 12, 4, width: 12),
        Loss = Kit.CrossEntropy,
        Transform = stored => stored.to_type(float32).div(127.5f).sub(1f),
        Augment = augmentation,
        CreateOptimizer = Kit.Adam(2e-3),
        Training = new TrainingConfig { Epochs = 6, BatchSize = 32 },
        Description = "arrows CNN",
    };

    /// <summary>Pad by one pixel and crop back at a random offset: a shift that keeps the arrow's direction.</summary>
    static (Tensor, Tensor) ShiftByOnePixel(Tensor inputs, Tensor targets)
    {
        using var padded = nn.functional.pad(inputs, [1, 1, 1, 1]);
        var offsets = randint(0, 3, [2]).data<long>().ToArray();
        long side = inputs.shape[2];
        return (padded[.., .., (int)offsets[0]..(int)(offsets[0] + side), (int)offsets[1]..(int)(offsets[1] + side)].contiguous(), targets);
    }

    static Pipeline BlobsPipeline(bool bgrStatistics)
    {
        var data = CorpusData.ColourBlobs;
        var (mean, std) = Kit.ChannelMoments(data, 255f);
        if (bgrStatistics) { Array.Reverse(mean); Array.Reverse(std); }
        var meanTensor = tensor(mean).reshape(1, 3, 1, 1);
        var stdTensor = tensor(std).reshape(1, 3, 1, 1);
        return new Pipeline
        {
            Data = data,
            CreateModel = () => new PlainCnn(3, 16, 3),
            CreateLargerModel = () => new PlainCnn(3, 16, 3, width: 12),
            Loss = Kit.CrossEntropy,
            Transform = stored => stored.to_type(float32).div(255f).sub(meanTensor).div(stdTensor),
            InverseTransform = input => input.mul(stdTensor).add(meanTensor),
            CreateOptimizer = (parameters, _) => new OptimizerSetup(optim.AdamW(parameters, 2e-3, weight_decay: 1e-2)),
            Training = new TrainingConfig { Epochs = 5, BatchSize = 32 },
            Description = "colour blobs CNN",
        };
    }

    static Pipeline SpotPipeline(LossFunction loss)
    {
        var data = CorpusData.SpotColumn;
        float mean = Kit.TargetMean(data);
        return new Pipeline
        {
            Data = data,
            CreateModel = () => Kit.WithOutputBias(new PlainCnn(1, 16, 1), mean),
            CreateLargerModel = () => Kit.WithOutputBias(new PlainCnn(1, 16, 1, width: 12), mean),
            Loss = loss,
            Transform = stored => stored.to_type(float32).div(255f).sub(0.2f).div(0.3f),
            CreateOptimizer = Kit.Adam(2e-3),
            Training = new TrainingConfig { Epochs = 8, BatchSize = 32 },
            Description = "spot-column regression CNN",
        };
    }

    /// <summary>The provider keeps 1,000 of the slice's training images, picked by an unseeded generator.</summary>
    public static Pipeline UnseededSubsample()
    {
        var data = CorpusData.Fashion;
        var random = new Random();
        var keep = Enumerable.Range(0, data.Train.Count).OrderBy(_ => random.Next()).Take(1000).Select(i => (long)i).ToArray();
        var subsampled = new Dataset
        {
            Name = data.Name, Source = data.Source, Format = data.Format, Task = data.Task, ClassNames = data.ClassNames,
            ExampleShape = data.ExampleShape, Train = data.Train.Subset("train", keep),
            Validation = CheckContext.First(data.Validation, data.Validation.Count, "validation"), Test = CheckContext.First(data.Test, data.Test.Count, "test"),
        };
        return TutorialMlpPipeline() with { Data = subsampled };
    }
}
