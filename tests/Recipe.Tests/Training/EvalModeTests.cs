using Recipe.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Recipe.Tests.Training;

public class EvalModeTests
{
    [Fact]
    public void Given_a_model_in_training_mode_When_a_measurement_throws_inside_the_scope_Then_training_mode_is_restored()
    {
        using var model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5));
        model.train();

        void MeasureAndFail()
        {
            using var _ = EvalMode.Of(model);
            Assert.False(model.training);
            throw new InvalidOperationException("measurement failed");
        }
        var thrown = Assert.Throws<InvalidOperationException>(MeasureAndFail);

        Assert.True(model.training);
        Assert.Equal("measurement failed", thrown.Message);
    }

    [Fact]
    public void Given_a_model_already_in_eval_mode_When_the_scope_ends_Then_it_stays_in_eval_mode()
    {
        using var model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5));
        model.eval();

        using (EvalMode.Of(model)) Assert.False(model.training);

        Assert.False(model.training);
    }
}
