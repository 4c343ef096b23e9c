using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Training;

public class ReproducibilityTests
{
    /// <summary>Trains a small CNN for a few steps on real images; returns every weight as bytes and the step losses.</summary>
    static (byte[] Weights, double[] Losses) Train(Dataset data, long seed)
    {
        Seeding.Apply(seed);
        using var model = ModelFactory.Create("cnn", data, width: 4);
        using var normalizer = InputNormalizer.FitTo(data);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var config = new TrainingConfig { Epochs = 1, BatchSize = 32, Seed = seed, MaxSteps = 12 };
        var result = new Trainer().Fit(new TrainingContext(model, data, normalizer, optimizer, config));
        var weights = model.parameters().SelectMany(p => p.detach().contiguous().data<float>().ToArray())
            .SelectMany(BitConverter.GetBytes).ToArray();
        return (weights, result.StepLosses.ToArray());
    }

    static readonly Lazy<Dataset> Sample = new(() => DataSpec.Load("fashion-mnist-sample"));

    [Fact]
    public void Given_one_seed_When_trained_twice_Then_weights_and_losses_are_bitwise_identical()
    {
        var first = Train(Sample.Value, seed: 7);
        var second = Train(Sample.Value, seed: 7);

        Assert.Equal(first.Losses, second.Losses);
        Assert.Equal(first.Weights, second.Weights);
    }

    [Fact]
    public void Given_two_seeds_When_trained_Then_weights_differ()
    {
        var first = Train(Sample.Value, seed: 7);
        var other = Train(Sample.Value, seed: 8);

        Assert.NotEqual(first.Weights, other.Weights);
        Assert.NotEqual(first.Losses, other.Losses);
    }

    [Fact]
    public void Given_a_seed_When_the_data_order_is_drawn_twice_Then_batches_match_and_another_seed_reorders()
    {
        var loaderA = new BatchLoader(Sample.Value.Train, 64, shuffle: true, seed: 3);
        var loaderB = new BatchLoader(Sample.Value.Train, 64, shuffle: true, seed: 3);
        var loaderC = new BatchLoader(Sample.Value.Train, 64, shuffle: true, seed: 4);
        var a = loaderA.Batches().First().Targets.data<long>().ToArray();
        var b = loaderB.Batches().First().Targets.data<long>().ToArray();
        var c = loaderC.Batches().First().Targets.data<long>().ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
