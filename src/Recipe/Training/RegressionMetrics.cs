using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>
/// Regression quality over a whole split in the target's own units: root mean squared error, mean absolute error,
/// and R² (1 − SSE / SST with the split's own mean, so 0 is predicting the mean and 1 is perfect).
/// </summary>
public sealed record RegressionMetrics(string Split, int Examples, double Rmse, double Mae, double R2)
{
    /// <summary>Runs the model over every example of a split whose targets are standardized with <paramref name="scale"/>.</summary>
    public static RegressionMetrics Measure(nn.Module<Tensor, Tensor> model, DataSplit split, Func<Tensor, Tensor> transform, TargetScale scale, int batchSize = 1000)
    {
        using var _ = EvalMode.Of(model);
        var predictions = new List<double>(split.Count);
        using (no_grad())
        {
            foreach (var batch in new BatchLoader(split, batchSize, shuffle: false).Batches())
            {
                using var scope = NewDisposeScope();
                using var inputs = batch.Inputs;
                using var targets = batch.Targets;
                predictions.AddRange(scale.ToOriginal(model.call(transform(inputs)).reshape(-1)).data<double>().ToArray());
            }
        }
        double[] actual;
        using (var scope = NewDisposeScope())
            actual = scale.ToOriginal(split.Targets.reshape(-1)).data<double>().ToArray();
        return Of(split.Name, predictions, actual);
    }

    /// <summary>The metrics of predictions against actual values, both in the original units.</summary>
    public static RegressionMetrics Of(string split, IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        if (predicted.Count != actual.Count || actual.Count == 0)
            throw new ArgumentException($"{predicted.Count} predictions for {actual.Count} targets");
        double mean = actual.Average();
        double sse = 0, sae = 0, sst = 0;
        for (int i = 0; i < actual.Count; i++)
        {
            double error = predicted[i] - actual[i];
            sse += error * error;
            sae += Math.Abs(error);
            sst += (actual[i] - mean) * (actual[i] - mean);
        }
        return new RegressionMetrics(split, actual.Count, Math.Sqrt(sse / actual.Count), sae / actual.Count, sst > 0 ? 1 - sse / sst : double.NaN);
    }
}
