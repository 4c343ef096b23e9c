using Recipe.Bench.Corpus.Data;
using Recipe.Bench.Corpus.Models;
using Recipe.Checks;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Recipe.Bench.Corpus.Pipelines;

/// <summary>
/// Text pipelines: next-character classification from 8-character windows of a licence text, and character
/// language models over whole words (token ids, one-hot sequences, window features built by the transform).
/// </summary>
public static class TextPipelines
{
    public static IEnumerable<CorpusEntry> All()
    {
        yield return CorpusEntry.Correct("nextchar-window-mlp", "text (char windows)", "window MLP", WindowMlpPipeline);
        yield return CorpusEntry.Correct("nextchar-window-gru", "text (char windows)", "GRU", () => WindowGruPipeline(viewInsteadOfPermute: false));
        yield return CorpusEntry.Correct("nextchar-onehot-flat-mlp", "text (one-hot windows)", "MLP on flat one-hot", () =>
        {
            int v = Texts.AlphabetSize;
            return WindowMlpPipeline() with
            {
                CreateModel = () => new TabularMlp(Texts.Window * v, v, [128], batchNorm: false),
                CreateLargerModel = () => new TabularMlp(Texts.Window * v, v, [192], batchNorm: false),
                Transform = stored => nn.functional.one_hot(stored, v).to_type(float32).flatten(1),
            };
        });
        yield return CorpusEntry.Correct("words-gru-lm", "text (token ids)", "GRU", () => SequenceGruPipeline(bidirectional: false));
        yield return CorpusEntry.Correct("words-onehot-causal-attention", "text (one-hot sequences)", "self-attention", () => AttentionPipeline(causalMask: true));
        yield return CorpusEntry.Correct("words-causal-window-features", "text (token ids)", "window MLP per position", () => WindowFeaturesPipeline(lookAhead: false));

        yield return CorpusEntry.WithBug("nextchar-gru-view", "nextchar-window-gru", "text (char windows)", "GRU", BugSite.Model,
            "(B, W, E) → (W, B, E) with view instead of permute before the GRU", ["batch-independence"],
            () => WindowGruPipeline(viewInsteadOfPermute: true));
        yield return CorpusEntry.WithBug("nextchar-linear-decay-in-epochs", "nextchar-window-mlp", "text (char windows)", "window MLP", BugSite.Optimizer,
            "linear decay to 0 over plan.Epochs steps (epochs taken for steps)", ["lr-schedule"],
            () => WindowMlpPipeline() with
            {
                CreateOptimizer = (parameters, plan) =>
                {
                    var adam = optim.Adam(parameters, 3e-3);
                    return new OptimizerSetup(adam, LambdaLR(adam, step => Math.Max(0.0, 1.0 - step / (double)plan.Epochs)));
                },
            });
        yield return CorpusEntry.WithBug("words-bidirectional-gru", "words-gru-lm", "text (token ids)", "GRU", BugSite.Model,
            "a bidirectional GRU for next-character prediction (the backward half reads the future)", ["causal-dependence"],
            () => SequenceGruPipeline(bidirectional: true));
        yield return CorpusEntry.WithBug("words-attention-without-mask", "words-onehot-causal-attention", "text (one-hot sequences)", "self-attention", BugSite.Model,
            "self-attention without the causal mask", ["causal-dependence"],
            () => AttentionPipeline(causalMask: false));
        yield return CorpusEntry.WithBug("words-same-padding-window", "words-causal-window-features", "text (token ids)", "window MLP per position", BugSite.Transform,
            "the transform's window is centred (t-1, t, t+1, \"same\" padding): it contains the target", ["causal-dependence"],
            () => WindowFeaturesPipeline(lookAhead: true));
        yield return CorpusEntry.WithBug("words-padding-not-ignored", "words-gru-lm", "text (token ids)", "GRU", BugSite.Loss,
            "targets.clamp(min: 0) instead of ignore_index: the padding (-1) is trained as token 0", ["loss-gradient-coverage"],
            () => SequenceGruPipeline(bidirectional: false) with
            {
                Loss = (output, targets) => nn.functional.cross_entropy(output.reshape(-1, output.shape[^1]), targets.clamp(min: 0).reshape(-1)),
            });
    }

    static Pipeline WindowMlpPipeline()
    {
        int v = Texts.AlphabetSize;
        return new Pipeline
        {
            Data = CorpusData.NextCharacter,
            CreateModel = () => new WindowMlp(v, Texts.Window, v),
            CreateLargerModel = () => new WindowMlp(v, Texts.Window, v, hidden: 160),
            Loss = Kit.CrossEntropy,
            Transform = stored => stored.alias(),
            CreateOptimizer = Kit.Adam(3e-3),
            Training = new TrainingConfig { Epochs = 8, BatchSize = 64 },
            Description = "next character from an 8-character window, window MLP",
        };
    }

    static Pipeline WindowGruPipeline(bool viewInsteadOfPermute) => WindowMlpPipeline() with
    {
        CreateModel = () => new WindowGru(Texts.AlphabetSize, Texts.AlphabetSize, viewInsteadOfPermute: viewInsteadOfPermute),
        CreateLargerModel = () => new WindowGru(Texts.AlphabetSize, Texts.AlphabetSize, hidden: 96, viewInsteadOfPermute: viewInsteadOfPermute),
    };

    static long Vocabulary => CorpusData.Words.Vocabulary!.Size;

    static Pipeline SequenceGruPipeline(bool bidirectional) => new()
    {
        Data = CorpusData.Words,
        CreateModel = () => new SequenceGru(Vocabulary, bidirectional: bidirectional),
        CreateLargerModel = () => new SequenceGru(Vocabulary, hidden: 96, bidirectional: bidirectional),
        Loss = Kit.SequenceCrossEntropy,
        Transform = stored => stored.alias(),
        CreateOptimizer = Kit.Adam(3e-3),
        Training = new TrainingConfig { Epochs = 10, BatchSize = 32 },
        Description = "word-level character GRU language model",
    };

    static Pipeline AttentionPipeline(bool causalMask)
    {
        long v = Vocabulary, length = CorpusData.Words.ExampleShape[0];
        return SequenceGruPipeline(false) with
        {
            CreateModel = () => new OneHotAttention(v, length, causalMask: causalMask),
            CreateLargerModel = () => new OneHotAttention(v, length, dimension: 72, causalMask: causalMask),
            Transform = stored => nn.functional.one_hot(stored, v).to_type(float32),
            Description = "one-hot input, one hand-written attention layer",
        };
    }

    /// <summary>
    /// The transform builds, for every position, the one-hot of a 3-token window: causal (t-2, t-1, t) with
    /// left padding, or (the bug) centred (t-1, t, t+1) with "same" padding on both sides.
    /// </summary>
    static Pipeline WindowFeaturesPipeline(bool lookAhead)
    {
        long v = Vocabulary;
        Tensor Windows(Tensor stored)
        {
            using var scope = NewDisposeScope();
            var oneHot = nn.functional.one_hot(stored, v).to_type(float32);                  // (B, T, V)
            long t = stored.shape[1];
            var padded = lookAhead
                ? nn.functional.pad(oneHot, [0, 0, 1, 1])                                      // one step each side
                : nn.functional.pad(oneHot, [0, 0, 2, 0]);                                     // two steps on the left
            var window = cat([padded[.., 0..(int)t], padded[.., 1..(int)(t + 1)], padded[.., 2..(int)(t + 2)]], 2);
            return window.MoveToOuterDisposeScope();                                           // (B, T, 3V)
        }
        return SequenceGruPipeline(false) with
        {
            CreateModel = () => new PositionwiseMlp(3 * v, v),
            CreateLargerModel = () => new PositionwiseMlp(3 * v, v, hidden: 128),
            Transform = Windows,
            Description = "per-position MLP over 3-token window features",
        };
    }
}
