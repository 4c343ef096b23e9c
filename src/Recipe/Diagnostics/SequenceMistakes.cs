using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Diagnostics;

/// <summary>One predicted token the model found least likely: the line, the position, what came and what it expected.</summary>
public sealed record TokenMistake(int Line, int Position, string Text, char Expected, char Predicted, double Loss);

/// <summary>
/// For autoregressive text: lines sampled from the model (does it write things that look like the data?) and the
/// single tokens of the validation split with the highest loss (where it is most surprised).
/// </summary>
public static class SequenceMistakes
{
    /// <summary>
    /// Samples <paramref name="count"/> lines: start from the boundary token, draw each next token from the softmax
    /// (seeded), stop at the boundary. The model is fed fixed-length (count, T) inputs, as in training; a causal
    /// model's output at t does not see the zeros after t.
    /// </summary>
    public static IReadOnlyList<string> Sample(nn.Module<Tensor, Tensor> model, Func<Tensor, Tensor> transform, Vocabulary vocabulary, int length, int count = 8, long seed = 0)
    {
        var generator = new Generator((ulong)seed);
        using var _ = EvalMode.Of(model);
        var tokens = zeros([count, length], dtype: int64);
        var finished = new bool[count];
        using (no_grad())
        {
            for (int t = 0; t < length - 1 && finished.Any(f => !f); t++)
            {
                using var scope = NewDisposeScope();
                var logits = model.call(transform(tokens)).select(1, t);                       // (count, V): the next token's
                var drawn = multinomial(nn.functional.softmax(logits, 1), 1, generator: generator).squeeze(1).data<long>().ToArray();
                for (int i = 0; i < count; i++)
                {
                    if (finished[i]) continue;
                    if (drawn[i] == 0) { finished[i] = true; continue; }
                    tokens[i, t + 1] = drawn[i];
                }
            }
        }
        var rows = tokens.data<long>().ToArray();
        tokens.Dispose();
        return Enumerable.Range(0, count).Select(i => vocabulary.DecodeLine(rows.Skip(i * length + 1).Take(length - 1))).ToList();
    }

    /// <summary>The <paramref name="count"/> tokens of <paramref name="split"/> with the highest cross-entropy.</summary>
    public static IReadOnlyList<TokenMistake> HighestLossTokens(nn.Module<Tensor, Tensor> model, DataSplit split, Func<Tensor, Tensor> transform, Vocabulary vocabulary, int count = 20, int batchSize = 256)
    {
        using var _ = EvalMode.Of(model);
        var candidates = new List<(int Line, int Position, long Expected, long Predicted, double Loss)>();
        int offset = 0;
        using (no_grad())
        {
            foreach (var batch in new BatchLoader(split, batchSize, shuffle: false).Batches())
            {
                using var scope = NewDisposeScope();
                using var inputs = batch.Inputs;
                using var targets = batch.Targets;
                var output = model.call(transform(inputs));                                      // (B, T, V)
                var perToken = nn.functional.cross_entropy(output.flatten(0, 1), targets.flatten(), ignore_index: Losses.IgnoreIndex, reduction: nn.Reduction.None)
                    .reshape(targets.shape).masked_fill(targets.eq(Losses.IgnoreIndex), double.NegativeInfinity);
                // the batch's top tokens are enough: the split's top `count` are among the batches' tops
                long k = Math.Min(count, perToken.numel());
                var (values, flatIndex) = perToken.flatten().topk((int)k);
                var predicted = output.argmax(-1).flatten();
                var expected = targets.flatten();
                long length = targets.shape[1];
                var at = flatIndex.data<long>().ToArray();
                var losses = values.to_type(float64).data<double>().ToArray();
                for (int j = 0; j < at.Length; j++)
                    if (double.IsFinite(losses[j]))
                        candidates.Add((offset + (int)(at[j] / length), (int)(at[j] % length), expected[at[j]].item<long>(), predicted[at[j]].item<long>(), losses[j]));
                offset += (int)targets.shape[0];
            }
        }
        return candidates.OrderByDescending(c => c.Loss).Take(count).Select(c =>
        {
            using var line = split.Inputs[c.Line];
            return new TokenMistake(c.Line, c.Position, vocabulary.DecodeLine(line.data<long>().ToArray()), vocabulary.Decode(c.Expected), vocabulary.Decode(c.Predicted), c.Loss);
        }).ToList();
    }
}
