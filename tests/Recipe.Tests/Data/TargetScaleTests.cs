using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Tests.Data;

public class TargetScaleTests
{
    static Dataset Regression(float[] train, float[] validation) => new()
    {
        Name = "r", Source = "synthetic", Format = DataFormat.Csv, Task = TaskKind.Regression, ClassNames = [], ExampleShape = [1],
        Train = new DataSplit("train", ones(train.Length, 1), tensor(train)),
        Validation = new DataSplit("validation", ones(validation.Length, 1), tensor(validation)),
        Test = new DataSplit("test", ones(validation.Length, 1), tensor(validation)),
    };

    [Fact]
    public void Given_targets_in_the_hundreds_When_standardized_Then_train_has_mean_0_and_std_1_and_predictions_map_back()
    {
        using var data = Regression([100, 200, 300, 400], [1000, 2000]);

        var scale = TargetScale.FitTo(data.Train);
        using var scaled = scale.Standardize(data);

        Assert.Equal(250, scale.Mean, 6);
        Assert.Equal(0, scaled.Train.Targets.mean().item<float>(), 5);
        Assert.Equal(1, scaled.Train.Targets.std().item<float>(), 5);
        Assert.Equal(2000, scale.ToOriginal(scaled.Validation.Targets[1].item<float>()), 2);
        Assert.Equal(data.Train.Inputs.data<float>().ToArray(), scaled.Train.Inputs.data<float>().ToArray());
    }

    [Fact]
    public void Given_validation_targets_far_from_train_When_fitted_Then_only_the_training_split_decides_the_scale()
    {
        using var near = Regression([1, 2, 3], [2, 2]);
        using var far = Regression([1, 2, 3], [1e6f, -1e6f]);

        Assert.Equal(TargetScale.FitTo(near.Train), TargetScale.FitTo(far.Train));
    }

    [Fact]
    public void Given_a_constant_target_When_fitted_Then_the_std_stays_1_and_nothing_divides_by_zero()
    {
        using var data = Regression([5, 5, 5], [5, 5]);

        var scale = TargetScale.FitTo(data.Train);

        Assert.Equal(1, scale.Std);
        using var scaled = scale.Standardize(data);
        Assert.All(scaled.Validation.Targets.data<float>().ToArray(), v => Assert.Equal(0, v));
    }
}
