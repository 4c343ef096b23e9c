using Recipe.Data;
using Recipe.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Tests.Training;

public class LinearFitTests
{
    static (Tensor X, Tensor Y) LinearRows(int rows, int columns, double noise, Generator generator, double[] trueWeights)
    {
        var x = randn(rows, columns, dtype: float64, generator: generator);
        var w = tensor(trueWeights, dtype: float64).reshape(-1, 1);
        var y = (x.narrow(1, 0, trueWeights.Length).matmul(w).reshape(-1) + 2.0 + noise * randn(rows, dtype: float64, generator: generator));
        return (x.to_type(float32), y.to_type(float32));
    }

    [Fact]
    public void Given_a_noisy_linear_target_When_fitted_Then_the_ridge_solution_recovers_the_weights_and_intercept()
    {
        // Given y = 3·x0 − 2·x1 + 2 + noise, with 3 further columns that carry nothing
        using var scope = NewDisposeScope();
        var generator = new Generator(1);
        var train = LinearRows(400, 5, 0.1, generator, [3, -2]);
        var validation = LinearRows(200, 5, 0.1, generator, [3, -2]);
        using var layer = nn.Linear(5, 1);

        // When
        var fit = LinearFit.Fit(layer, TaskKind.Regression, train, validation);

        // Then: the weights and intercept of the generating model, the validation loss at the noise floor (0.1² = 0.01)
        var weights = layer.weight!.reshape(-1).to_type(float64).data<double>().ToArray();
        Assert.Equal(3, weights[0], 1);
        Assert.Equal(-2, weights[1], 1);
        Assert.All(weights.Skip(2), w => Assert.InRange(w, -0.05, 0.05));
        Assert.Equal(2, layer.bias!.item<float>(), 1);
        Assert.InRange(fit.ValidationLoss, 0.005, 0.02);
        Assert.Equal("ridge (closed form)", fit.Method);
    }

    [Fact]
    public void Given_more_noise_columns_than_a_least_squares_fit_can_afford_When_fitted_Then_validation_chooses_a_strong_penalty()
    {
        // Given 60 training rows, 50 columns, a target that depends on one column through heavy noise: unpenalized least squares overfits
        using var scope = NewDisposeScope();
        var generator = new Generator(2);
        var train = LinearRows(60, 50, 1.0, generator, [0.5]);
        var validation = LinearRows(300, 50, 1.0, generator, [0.5]);
        using var layer = nn.Linear(50, 1);

        // When
        var fit = LinearFit.Fit(layer, TaskKind.Regression, train, validation);

        // Then: a penalty well above the smallest in the grid, and a validation loss below the weakest penalty's (the broken case)
        Assert.True(fit.Penalty >= 0.1, $"penalty {fit.Penalty}");
        double weakLoss = WeakestPenaltyLoss(train, validation);
        Assert.True(fit.ValidationLoss < weakLoss * 0.9, $"chosen {fit.ValidationLoss} vs weakest {weakLoss}");
    }

    static double WeakestPenaltyLoss((Tensor X, Tensor Y) train, (Tensor X, Tensor Y) validation)
    {
        var x = train.X.to_type(float64);
        var (xMean, yMean) = (x.mean([0]), train.Y.to_type(float64).mean());
        var centered = x - xMean;
        var w = linalg.solve(centered.T.matmul(centered) / x.shape[0] + LinearFit.RidgePenalties[0] * eye(x.shape[1], dtype: float64),
            centered.T.matmul(train.Y.to_type(float64) - yMean) / x.shape[0]);
        return ((validation.X.to_type(float64) - xMean).matmul(w) + yMean - validation.Y.to_type(float64)).square().mean().item<double>();
    }

    [Fact]
    public void Given_three_overlapping_classes_When_fitted_Then_the_logistic_fit_is_at_its_optimum_for_the_chosen_penalty()
    {
        // Given three Gaussian blobs that overlap (no perfect separation, so the optimum is finite even with a weak penalty)
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        (Tensor X, Tensor Y) Blobs(int perClass)
        {
            var centres = tensor(new double[,] { { 1, 0 }, { -1, 1 }, { 0, -1 } }, dtype: float64);
            var labels = arange(3).repeat_interleave(perClass);
            var x = centres.index_select(0, labels) + randn(3 * perClass, 2, dtype: float64, generator: generator);
            return (x.to_type(float32), labels);
        }
        var train = Blobs(100);
        var validation = Blobs(100);
        using var layer = nn.Linear(2, 3);

        // When
        var fit = LinearFit.Fit(layer, TaskKind.Classification, train, validation);

        // Then: the gradient of the penalized objective at the returned weights is ~0 (converged, not stopped short)
        var w = layer.weight!.detach().to_type(float64).T.clone().requires_grad_();
        var b = layer.bias!.detach().to_type(float64).clone().requires_grad_();
        var objective = nn.functional.cross_entropy(train.X.to_type(float64).matmul(w) + b, train.Y) + fit.Penalty * w.square().sum();
        objective.backward();
        double gradient = Math.Sqrt(w.grad!.square().sum().item<double>() + b.grad!.square().sum().item<double>());
        Assert.True(gradient < 2e-3, $"gradient norm {gradient} at penalty {fit.Penalty}");
        Assert.True(fit.ValidationLoss < Math.Log(3) * 0.9, $"validation loss {fit.ValidationLoss}");
    }
}
