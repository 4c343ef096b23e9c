using Recipe.Data;
using Recipe.Diagnostics;

namespace Recipe.Tests.Diagnostics;

public class RegressionResidualsTests
{
    [Fact]
    public void Given_one_prediction_far_off_When_residuals_are_listed_Then_it_comes_first_in_the_targets_units()
    {
        var predictions = new SplitPredictions
        {
            Split = "validation", Task = TaskKind.Regression, Losses = [0.01, 4.0, 0.04],
            Targets = [0.0, 1.0, -1.0], Outputs = [0.1, -1.0, -0.8],
        };

        var residuals = RegressionResiduals.Of(predictions, new TargetScale(Mean: 150, Std: 70), count: 2);

        Assert.Equal(1, residuals.Largest[0].Index);
        Assert.Equal(220, residuals.Largest[0].Target, 6);     // 1 std above a mean of 150
        Assert.Equal(80, residuals.Largest[0].Predicted, 6);
        Assert.Equal(-140, residuals.Largest[0].Error, 6);
        Assert.Equal(2, residuals.Largest[1].Index);
        Assert.Equal(3, residuals.Targets.Length);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], DiagnosticCharts.PredictedVsTrue(residuals)[..4]);
    }
}
