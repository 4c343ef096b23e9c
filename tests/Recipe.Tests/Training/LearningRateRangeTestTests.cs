using Recipe.Checks;
using Recipe.Data;
using Recipe.Tests.Support;
using Recipe.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Recipe.Tests.Training;

public class LearningRateRangeTestTests
{
    static Pipeline Learnable(Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer> optimizer, LossFunction? loss = null)
    {
        var data = TinyTables.NoisyTwoClass(train: 256, validation: 64, noise: 0.1);
        var pipeline = Pipeline.Default(data, InputNormalizer.Identity(), "mlp");
        return pipeline with
        {
            CreateOptimizer = (parameters, _) => new OptimizerSetup(optimizer(parameters)),
            Loss = loss ?? pipeline.Loss,
            Training = pipeline.Training with { BatchSize = 32 },
        };
    }

    [Fact]
    public void Given_a_learnable_table_When_the_rate_sweeps_up_to_divergence_Then_it_suggests_a_tenth_of_the_best_rate_below_where_it_blew_up()
    {
        // plain SGD on a small MLP surely diverges somewhere below a rate of 1,000
        var result = LearningRateRangeTest.Run(Learnable(p => optim.SGD(p, 1e-3)), new LrRangeOptions { MinRate = 1e-4, MaxRate = 1e3, Steps = 120 });

        Assert.True(result.Diverged, result.Explanation);
        Assert.NotNull(result.SuggestedRate);
        Assert.Equal(result.LowestLossRate / 10, result.SuggestedRate!.Value, 12);
        Assert.True(result.Losses.Min() < 0.8 * result.Losses[0], $"the loss should fall: {result.Explanation}");
        Assert.True(result.SuggestedRate < result.Rates[^1] / 10, "the suggestion keeps a margin from the rate that diverged");
        Assert.Equal(result.Rates.Length, result.Losses.Length);
    }

    [Fact]
    public void Given_a_loss_no_rate_can_lower_When_the_rate_sweeps_Then_no_rate_is_suggested()
    {
        // a loss that ignores the model: flat for every rate, so the sweep must not invent a suggestion
        LossFunction flat = (output, _) => output.sum().mul(0).add(0.69);
        var result = LearningRateRangeTest.Run(Learnable(p => optim.Adam(p, 1e-3), flat), new LrRangeOptions { Steps = 30 });

        Assert.Null(result.SuggestedRate);
        Assert.Contains("keep the default", result.Explanation);
        Assert.False(result.Diverged);
    }

    [Fact]
    public void Given_the_same_seed_When_the_sweep_runs_twice_Then_the_curves_are_identical()
    {
        var options = new LrRangeOptions { MinRate = 1e-5, MaxRate = 1e-1, Steps = 25 };
        var first = LearningRateRangeTest.Run(Learnable(p => optim.Adam(p, 1e-3)), options);
        var second = LearningRateRangeTest.Run(Learnable(p => optim.Adam(p, 1e-3)), options);

        Assert.Equal(first.RawLosses, second.RawLosses);
        Assert.Equal(first.SuggestedRate, second.SuggestedRate);
    }

    [Fact]
    public void Given_a_sweep_When_its_picture_is_saved_Then_a_png_is_written()
    {
        using var folder = new TempFolder();
        var result = LearningRateRangeTest.Read([1e-4, 1e-3, 1e-2, 1e-1], [2.3, 2.0, 1.2, 3.0], [2.3, 2.0, 1.2, 3.0], diverged: true);
        var path = Path.Combine(folder.Path, "lr.png");

        result.Picture(path);

        Assert.Equal(1e-3, result.SuggestedRate!.Value, 12);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path).Take(4).ToArray());
    }

    [Fact]
    public void Given_an_impossible_range_When_the_sweep_is_asked_for_Then_it_refuses()
    {
        Assert.Throws<ArgumentException>(() => LearningRateRangeTest.Run(Learnable(p => optim.Adam(p, 1e-3)), new LrRangeOptions { MinRate = 1, MaxRate = 0.1 }));
    }
}
