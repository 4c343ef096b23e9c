using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Diagnostics;

/// <summary>
/// What a model says about every example of one split, as plain arrays: the per-example loss and, for
/// classes, the predicted probabilities and the argmax; for regression, the prediction beside the target.
/// Measured once (eval mode, no gradients) so that the confusion matrix, the mistake gallery and the
/// residuals all read the same numbers.
/// </summary>
public sealed class SplitPredictions
{
    /// <summary>"train", "validation" or "test" (or a fold name).</summary>
    public required string Split { get; init; }
    public required TaskKind Task { get; init; }
    /// <summary>Per-example loss under the task's standard loss (sequences: the mean over the line's tokens).</summary>
    public required double[] Losses { get; init; }
    /// <summary>Classification: the given label of each example.</summary>
    public long[]? Labels { get; init; }
    /// <summary>Classification: softmax probabilities, [example, class].</summary>
    public float[,]? Probabilities { get; init; }
    /// <summary>Regression: the target and the model's output, in the units the model was trained on.</summary>
    public double[]? Targets { get; init; }
    public double[]? Outputs { get; init; }

    public int Count => Losses.Length;
    public int ClassCount => Probabilities?.GetLength(1) ?? 0;

    /// <summary>Classification: the class with the highest probability, per example.</summary>
    public long[] Predicted()
    {
        var probabilities = Probabilities ?? throw new InvalidOperationException("only classification predictions have classes");
        var predicted = new long[Count];
        for (int i = 0; i < Count; i++)
        {
            int best = 0;
            for (int c = 1; c < ClassCount; c++) if (probabilities[i, c] > probabilities[i, best]) best = c;
            predicted[i] = best;
        }
        return predicted;
    }

    /// <summary>
    /// Forwards every example of <paramref name="split"/> through the model. The per-example loss is the task's
    /// standard one (<see cref="Training.Losses.PerExample"/>), whatever loss trained the model: it ranks mistakes.
    /// </summary>
    public static SplitPredictions Measure(nn.Module<Tensor, Tensor> model, DataSplit split, TaskKind task, Func<Tensor, Tensor> transform, int batchSize = 500)
    {
        using var _ = EvalMode.Of(model);
        var losses = new List<double>(split.Count);
        var probabilities = new List<float[]>();
        var outputs = new List<float>();
        using (no_grad())
        {
            foreach (var batch in new BatchLoader(split, batchSize, shuffle: false).Batches())
            {
                using var scope = NewDisposeScope();
                using var inputs = batch.Inputs;
                using var targets = batch.Targets;
                var output = model.call(transform(inputs));
                losses.AddRange(Training.Losses.PerExample(task, output, targets).to_type(float64).data<double>().ToArray());
                if (task == TaskKind.Classification)
                {
                    var p = nn.functional.softmax(output, 1).to_type(float32).contiguous();
                    long classes = p.shape[1];
                    var flat = p.data<float>().ToArray();
                    for (long i = 0; i < p.shape[0]; i++) probabilities.Add(flat.AsSpan((int)(i * classes), (int)classes).ToArray());
                }
                else if (task == TaskKind.Regression)
                    outputs.AddRange(output.reshape(-1).to_type(float32).data<float>().ToArray());
            }
        }
        return new SplitPredictions
        {
            Split = split.Name,
            Task = task,
            Losses = [.. losses],
            Labels = task == TaskKind.Classification ? split.Targets.data<long>().ToArray() : null,
            Probabilities = task == TaskKind.Classification ? ToMatrix(probabilities) : null,
            Targets = task == TaskKind.Regression ? split.Targets.to_type(float64).data<double>().ToArray() : null,
            Outputs = task == TaskKind.Regression ? outputs.Select(v => (double)v).ToArray() : null,
        };
    }

    static float[,] ToMatrix(List<float[]> rows)
    {
        int classes = rows.Count == 0 ? 0 : rows[0].Length;
        var matrix = new float[rows.Count, classes];
        for (int i = 0; i < rows.Count; i++)
            for (int c = 0; c < classes; c++) matrix[i, c] = rows[i][c];
        return matrix;
    }
}
