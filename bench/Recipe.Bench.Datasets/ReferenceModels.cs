using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Bench.Datasets;

/// <summary>What a reference model scored on the test split, and which setting validation chose.</summary>
/// <param name="Metric">test accuracy (classes), test RMSE (regression) or test nats per token (sequences).</param>
public sealed record ReferenceScore(string Name, string MetricName, double Metric, string Chosen);

/// <summary>
/// The bar `recipe run` must clear on every dataset: the classical model a careful engineer would fit first,
/// on exactly the split Recipe carved (same loader, same train/validation/test rows), its one setting chosen on
/// validation and scored once on test. Classes: L2-regularized multinomial logistic regression on the
/// standardized (tables) or normalized (images) inputs. Regression: ridge regression, closed form.
/// Sequences: an add-k smoothed count bigram.
/// </summary>
public static class ReferenceModels
{
    public static ReferenceScore Fit(Dataset data) => data.Task switch
    {
        TaskKind.Regression => Ridge(data),
        TaskKind.Sequence => Bigram(data),
        _ => Logistic(data),
    };

    static Tensor Features(Dataset data, DataSplit split, InputNormalizer normalizer)
    {
        using var x = normalizer.Apply(split.Inputs);
        return x.reshape(split.Count, -1).to_type(float64);
    }

    /// <summary>Multinomial logistic regression, full-batch Adam to convergence (a convex problem), penalty chosen on validation.</summary>
    static ReferenceScore Logistic(Dataset data)
    {
        using var scope = NewDisposeScope();
        using var normalizer = InputNormalizer.FitTo(data);
        var (xTrain, xVal, xTest) = (Features(data, data.Train, normalizer), Features(data, data.Validation, normalizer), Features(data, data.Test, normalizer));
        var (yTrain, yVal, yTest) = (data.Train.Targets, data.Validation.Targets, data.Test.Targets);
        (double Accuracy, double Loss, double Penalty, Tensor W, Tensor B)? best = null;
        foreach (double penalty in new[] { 1e-5, 1e-4, 1e-3, 1e-2, 1e-1 })
        {
            torch.manual_seed(0);
            var w = new TorchSharp.Modules.Parameter(zeros(xTrain.shape[1], data.ClassCount, dtype: float64));
            var b = new TorchSharp.Modules.Parameter(zeros(data.ClassCount, dtype: float64));
            var optimizer = optim.Adam([w, b], lr: 0.01);
            for (int step = 0; step < 3000; step++)
            {
                using var stepScope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(xTrain.matmul(w) + b, yTrain) + penalty * w.square().sum();
                loss.backward();
                optimizer.step();
            }
            using (no_grad())
            {
                var logits = xVal.matmul(w) + b;
                double accuracy = logits.argmax(1).eq(yVal).to_type(float64).mean().item<double>();
                double loss = nn.functional.cross_entropy(logits, yVal).item<double>();
                if (best is null || accuracy > best.Value.Accuracy || (accuracy == best.Value.Accuracy && loss < best.Value.Loss))
                    best = (accuracy, loss, penalty, w.detach(), b.detach());
            }
        }
        using (no_grad())
        {
            double test = (xTest.matmul(best!.Value.W) + best.Value.B).argmax(1).eq(yTest).to_type(float64).mean().item<double>();
            return new ReferenceScore("logistic regression", "test accuracy", test, $"L2 {best.Value.Penalty:G2}");
        }
    }

    /// <summary>Ridge regression with an intercept, closed form; alpha chosen on validation RMSE.</summary>
    static ReferenceScore Ridge(Dataset data)
    {
        using var scope = NewDisposeScope();
        using var normalizer = InputNormalizer.FitTo(data);
        var (xTrain, xVal, xTest) = (Features(data, data.Train, normalizer), Features(data, data.Validation, normalizer), Features(data, data.Test, normalizer));
        var (yTrain, yVal, yTest) = (data.Train.Targets.to_type(float64).reshape(-1), data.Validation.Targets.to_type(float64).reshape(-1), data.Test.Targets.to_type(float64).reshape(-1));
        var xMean = xTrain.mean([0]);
        var yMean = yTrain.mean();
        var centered = xTrain - xMean;
        var gram = centered.T.matmul(centered);
        var moment = centered.T.matmul(yTrain - yMean);
        Tensor Predict(Tensor x, Tensor w) => (x - xMean).matmul(w) + yMean;
        double Rmse(Tensor predicted, Tensor y) => (predicted - y).square().mean().sqrt().item<double>();
        (double Rmse, double Alpha, Tensor W)? best = null;
        foreach (double alpha in new[] { 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000 })
        {
            var w = linalg.solve(gram + alpha * eye(gram.shape[0], dtype: float64), moment);
            double rmse = Rmse(Predict(xVal, w), yVal);
            if (best is null || rmse < best.Value.Rmse) best = (rmse, alpha, w);
        }
        return new ReferenceScore("ridge regression", "test RMSE", Rmse(Predict(xTest, best!.Value.W), yTest), $"alpha {best.Value.Alpha:G2}");
    }

    /// <summary>Count bigram P(next | current) with add-k smoothing, k chosen on validation; test cross-entropy in nats per token.</summary>
    static ReferenceScore Bigram(Dataset data)
    {
        using var scope = NewDisposeScope();
        int vocabulary = data.Vocabulary!.Size;
        var counts = zeros(vocabulary, vocabulary, dtype: float64);
        var (current, next) = Pairs(data.Train);
        counts.index_put_(ones(current.shape[0], dtype: float64), [current, next], accumulate: true);
        double Nats(DataSplit split, double k)
        {
            var (c, n) = Pairs(split);
            var logP = (counts + k).div((counts + k).sum(1, keepdim: true)).log();
            return -logP.index([c, n]).mean().item<double>();
        }
        double bestK = new[] { 1e-3, 1e-2, 0.1, 0.5, 1 }.MinBy(k => Nats(data.Validation, k));
        return new ReferenceScore("count bigram", "test nats/token", Nats(data.Test, bestK), $"add-{bestK:G2}");
    }

    /// <summary>(current token, next token) for every position whose target is not padding.</summary>
    static (Tensor Current, Tensor Next) Pairs(DataSplit split)
    {
        var valid = split.Targets.ne(-1);
        return (split.Inputs.masked_select(valid), split.Targets.masked_select(valid));
    }
}
