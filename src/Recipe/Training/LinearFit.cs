using Recipe.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>How a linear model was fitted: the L2 penalty validation chose and the validation loss it reached.</summary>
/// <param name="Method">"ridge (closed form)" or "L2 logistic (full-batch Adam to convergence)".</param>
/// <param name="Iterations">Optimizer steps over all penalties tried (0 for the closed form).</param>
public sealed record LinearFitResult(string Method, double Penalty, double ValidationLoss, int PenaltiesTried, int Iterations);

/// <summary>
/// Fits a linear layer as well as a linear model can be fitted, instead of training it like a deep net (a few thousand
/// minibatch steps with early stopping and no penalty leave it short of its optimum on a small table): ridge regression in
/// closed form for a regression, and for classes an L2-regularized multinomial logistic regression, full batch, to
/// convergence (a convex problem: one optimum whatever the start). The penalty is chosen on the validation split from a
/// grid up to 10^2 per example, the one with the lowest validation loss (the loss the one-standard-error rule compares);
/// the test split is never read. Inputs must already be transformed as the model sees them (standardized columns).
/// </summary>
public static class LinearFit
{
    /// <summary>
    /// Penalties on the mean loss, λ·‖W‖²; for ridge half decades from 10^-6 (all but least squares: on a table with many
    /// more rows than columns validation often wants next to no penalty) to 10^2, each one solve; decades for logistic.
    /// </summary>
    public static readonly double[] RidgePenalties = Enumerable.Range(0, 17).Select(i => Math.Pow(10, -6 + i * 0.5)).ToArray();
    public static readonly double[] LogisticPenalties = Enumerable.Range(0, 7).Select(i => Math.Pow(10, 2 - i)).ToArray(); // strong to weak: each warm-starts the next

    /// <summary>Writes the chosen weights and bias into <paramref name="layer"/>.</summary>
    /// <param name="train">(model input, target) of the training split; regression targets as the loss sees them (standardized).</param>
    /// <param name="penalties">The penalties to choose from (default: <see cref="RidgePenalties"/> or <see cref="LogisticPenalties"/>); one to refit with a penalty already chosen.</param>
    public static LinearFitResult Fit(Linear layer, TaskKind task, (Tensor Inputs, Tensor Targets) train, (Tensor Inputs, Tensor Targets) validation, IReadOnlyList<double>? penalties = null)
    {
        using var scope = NewDisposeScope();
        var xTrain = train.Inputs.flatten(1).to_type(float64);
        var xValidation = validation.Inputs.flatten(1).to_type(float64);
        var (weight, bias, result) = task switch
        {
            TaskKind.Regression => Ridge(xTrain, train.Targets.to_type(float64).reshape(xTrain.shape[0], -1), xValidation, validation.Targets.to_type(float64).reshape(xValidation.shape[0], -1), penalties ?? RidgePenalties),
            TaskKind.Classification => Logistic(xTrain, train.Targets, xValidation, validation.Targets, (int)layer.weight!.shape[0], penalties ?? LogisticPenalties),
            _ => throw new ArgumentException($"a linear fit needs classes or a regression target, not {task}"),
        };
        using (no_grad())
        {
            layer.weight!.copy_(weight.T.to_type(layer.weight.dtype));
            layer.bias!.copy_(bias.to_type(layer.bias.dtype));
        }
        return result;
    }

    /// <summary>Least squares with an L2 penalty on centered inputs (the intercept is not penalized): W = (XᵀX/n + λI)⁻¹ Xᵀy/n.</summary>
    static (Tensor Weight, Tensor Bias, LinearFitResult Result) Ridge(Tensor x, Tensor y, Tensor xValidation, Tensor yValidation, IReadOnlyList<double> penalties)
    {
        var (xMean, yMean) = (x.mean([0]), y.mean([0]));
        var centered = x - xMean;
        var gram = centered.T.matmul(centered) / x.shape[0];
        var moment = centered.T.matmul(y - yMean) / x.shape[0];
        var identity = eye(gram.shape[0], dtype: float64);
        (double Loss, double Penalty, Tensor W)? best = null;
        foreach (double penalty in penalties)
        {
            var w = linalg.solve(gram + penalty * identity, moment);
            double loss = ((xValidation - xMean).matmul(w) + yMean - yValidation).square().mean().item<double>();
            if (best is null || loss < best.Value.Loss) best = (loss, penalty, w);
        }
        var (bestLoss, bestPenalty, weight) = best!.Value;
        var bias = yMean - xMean.matmul(weight);
        return (weight.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope(), new LinearFitResult("ridge (closed form)", bestPenalty, bestLoss, penalties.Count, 0));
    }

    /// <summary>Mean cross-entropy + λ‖W‖², full-batch Adam with a decaying step until the objective stops moving (relative change below 1e-7 over 25 steps).</summary>
    static (Tensor Weight, Tensor Bias, LinearFitResult Result) Logistic(Tensor x, Tensor y, Tensor xValidation, Tensor yValidation, int classes, IReadOnlyList<double> penalties, int maxStepsPerPenalty = 2000)
    {
        var w = new Parameter(zeros(x.shape[1], classes, dtype: float64));
        var b = new Parameter(zeros(classes, dtype: float64));
        (double Loss, double Penalty, Tensor W, Tensor B)? best = null;
        int iterations = 0;
        foreach (double penalty in penalties)
        {
            // Adam's constant step would circle the optimum at the scale of its learning rate; a decay to 1/100 lands on it
            using var optimizer = optim.Adam([w, b], lr: 0.05);
            var decay = optim.lr_scheduler.ExponentialLR(optimizer, Math.Pow(0.01, 1.0 / maxStepsPerPenalty));
            double previous = double.PositiveInfinity;
            for (int step = 1; step <= maxStepsPerPenalty; step++, iterations++)
            {
                using var stepScope = NewDisposeScope();
                optimizer.zero_grad();
                var objective = nn.functional.cross_entropy(x.matmul(w) + b, y) + penalty * w.square().sum();
                objective.backward();
                optimizer.step();
                decay.step();
                if (step % 25 != 0) continue;
                double now = objective.item<double>();
                if (Math.Abs(previous - now) <= 1e-7 * Math.Max(1, Math.Abs(now))) break;
                previous = now;
            }
            using (no_grad())
            {
                double loss = nn.functional.cross_entropy(xValidation.matmul(w) + b, yValidation).item<double>();
                if (best is null || loss < best.Value.Loss) best = (loss, penalty, w.detach().clone(), b.detach().clone());
            }
        }
        var chosen = best!.Value;
        return (chosen.W.MoveToOuterDisposeScope(), chosen.B.MoveToOuterDisposeScope(),
            new LinearFitResult("L2 logistic (full-batch Adam to convergence)", chosen.Penalty, chosen.Loss, penalties.Count, iterations));
    }
}
