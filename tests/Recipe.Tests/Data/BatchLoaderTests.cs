using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Tests.Data;

public class BatchLoaderTests
{
    /// <summary>10 examples whose input is its own index and whose target is ten times that, to see pairs stay together.</summary>
    static DataSplit Numbered() => new("train", arange(10, dtype: float32).reshape(10, 1), arange(10, dtype: int64).mul(10));

    static List<long> Order(BatchLoader loader, out List<int> sizes)
    {
        var order = new List<long>();
        sizes = [];
        foreach (var (inputs, targets) in loader.Batches())
        {
            var x = inputs.data<float>().Select(v => (long)v).ToArray();
            Assert.Equal(x.Select(v => v * 10), targets.data<long>().ToArray());
            order.AddRange(x);
            sizes.Add(x.Length);
        }
        return order;
    }

    [Fact]
    public void Given_no_shuffle_When_batched_Then_examples_come_in_file_order_with_a_short_last_batch()
    {
        using var split = Numbered();
        var loader = new BatchLoader(split, batchSize: 4, shuffle: false);

        var order = Order(loader, out var sizes);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), order);
        Assert.Equal([4, 4, 2], sizes);
        Assert.Equal(3, loader.BatchCount);
    }

    [Fact]
    public void Given_shuffle_When_batched_Then_every_example_comes_once_in_an_order_fixed_by_the_seed()
    {
        using var split = Numbered();

        var first = Order(new BatchLoader(split, 3, shuffle: true, seed: 7), out _);
        var again = Order(new BatchLoader(split, 3, shuffle: true, seed: 7), out _);
        var other = Order(new BatchLoader(split, 3, shuffle: true, seed: 8), out _);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), first.Order());
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.NotEqual(first.Order(), first);
    }
}
