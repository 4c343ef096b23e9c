using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Support;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

public class FinalLayerInitTests
{
    [Fact]
    public void Given_a_regression_table_When_the_default_pipeline_makes_its_model_Then_the_untrained_model_scores_like_the_mean_predictor()
    {
        // Given: a diabetes-sized table (targets in the hundreds), standardized by the default pipeline
        using var temp = new TempFolder();
        using var data = DataSpec.Load(TinyTables.WriteRegressionCsv(temp.Combine("targets.csv")));
        using var normalizer = InputNormalizer.FitTo(data);
        var pipeline = Pipeline.Default(data, normalizer, "mlp");
        var scaled = pipeline.Data;
        double meanPredictor = LossOfMean(scaled);

        // When: the pipeline's model, and the same model with only the bias set (default output weights)
        Seeding.Apply(0);
        using var initialized = pipeline.CreateModel();
        Seeding.Apply(0);
        using var biasOnly = ModelFactory.Create("mlp", scaled);
        SetBiasOnly((IHasOutputLayer)biasOnly, scaled);
        double initializedLoss = Evaluation.Run(initialized, scaled.Validation, TaskKind.Regression, pipeline.Transform, pipeline.Loss).Loss;
        double biasOnlyLoss = Evaluation.Run(biasOnly, scaled.Validation, TaskKind.Regression, pipeline.Transform, pipeline.Loss).Loss;

        // Then: the initialized model is within 5 % of the mean predictor; default weights add their own spread (the control)
        Assert.InRange(initializedLoss / meanPredictor, 0.95, 1.05);
        Assert.True(biasOnlyLoss > 1.05 * initializedLoss, $"default output weights: {biasOnlyLoss:F3}, initialized {initializedLoss:F3}, mean predictor {meanPredictor:F3}");
        if (pipeline.Data != data) scaled.Dispose();
    }

    static void SetBiasOnly(IHasOutputLayer model, Dataset data)
    {
        using var prior = FinalLayerInit.PriorBias(data.Train, data.Task, model.Output.bias!.shape[0]);
        using (no_grad()) model.Output.bias!.copy_(prior);
    }

    static double LossOfMean(Dataset data)
    {
        using var scope = NewDisposeScope();
        var mean = data.Train.Targets.to_type(float64).mean();
        return (data.Validation.Targets.to_type(float64) - mean).square().mean().item<double>();
    }
}
