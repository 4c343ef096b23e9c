using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Tests.Data;

public class InputNormalizerTests
{
    static Dataset Images()
    {
        // Train: channel 0 spans 0..255, channel 1 is constant 51 (0.2); validation and test hold other values.
        var train = zeros(8, 2, 2, 2, dtype: uint8);
        train.select(1, 0).copy_(arange(8 * 4, dtype: float32).mul(255f / 31).round().reshape(8, 2, 2).to_type(uint8));
        train.select(1, 1).fill_(51);
        DataSplit Split(string name, Tensor x) => new(name, x, zeros(x.shape[0], dtype: int64));
        return new Dataset
        {
            Name = "t", Source = "t", Format = DataFormat.ImageFolder, Task = TaskKind.Classification,
            ClassNames = ["a"], ExampleShape = [2, 2, 2],
            Train = Split("train", train), Validation = Split("validation", full(2, 2, 2, 2, 255, dtype: uint8)),
            Test = Split("test", zeros(2, 2, 2, 2, dtype: uint8)),
        };
    }

    [Fact]
    public void Given_images_When_fitted_Then_the_statistics_are_per_channel_from_the_training_split_only()
    {
        using var data = Images();
        using var normalizer = InputNormalizer.FitTo(data);

        Assert.Equal([1L, 2, 1, 1], normalizer.Mean!.shape);
        Assert.Equal(0.5, normalizer.Mean[0, 0, 0, 0].item<float>(), precision: 2);
        Assert.Equal(0.2, normalizer.Mean[0, 1, 0, 0].item<float>(), precision: 5);
        using var applied = normalizer.Apply(data.Train.Inputs);
        Assert.Equal(0, applied.select(1, 0).mean().item<float>(), precision: 4);
        Assert.Equal(1, applied.select(1, 0).std().item<float>(), precision: 4);
    }

    [Fact]
    public void Given_normalized_images_When_inverted_Then_the_stored_values_come_back_in_0_to_1()
    {
        using var data = Images();
        using var normalizer = InputNormalizer.FitTo(data);

        using var back = normalizer.Invert(normalizer.Apply(data.Validation.Inputs));

        Assert.True(back.allclose(ones(2, 2, 2, 2), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Given_tokens_When_applied_Then_they_pass_through_unchanged()
    {
        using var tokens = tensor(new long[] { 0, 3, 1, -1 }, dtype: int64).reshape(1, 4);
        using var normalizer = InputNormalizer.Identity();

        using var applied = normalizer.Apply(tokens);

        Assert.Equal(ScalarType.Int64, applied.dtype);
        Assert.Equal([0L, 3, 1, -1], applied.data<long>().ToArray());
    }
}
