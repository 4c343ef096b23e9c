using Recipe.Data;

namespace Recipe.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void Given_the_embedded_sample_When_cut_to_a_tenth_Then_every_split_keeps_its_share_and_its_first_examples()
    {
        using var full = DataSpec.Load("fashion-mnist-sample");
        int total = full.Splits.Sum(s => s.Count);

        using var head = full.Head(total / 10);

        Assert.Equal(full.ClassNames, head.ClassNames);
        Assert.Equal(full.ExampleShape, head.ExampleShape);
        foreach (var (part, whole) in head.Splits.Zip(full.Splits))
        {
            Assert.Equal(whole.Name, part.Name);
            Assert.Equal(Math.Round(whole.Count / 10.0), part.Count);
            Assert.True(part.Inputs.eq(whole.Inputs.narrow(0, 0, part.Count)).all().item<bool>(), $"{part.Name}: the first examples, in order");
            Assert.True(part.Targets.eq(whole.Targets.narrow(0, 0, part.Count)).all().item<bool>(), $"{part.Name}: with their own labels");
        }
    }

    [Fact]
    public void Given_a_size_beyond_the_data_When_cut_Then_everything_is_kept()
    {
        using var full = DataSpec.Load("fashion-mnist-sample");

        using var head = full.Head(1_000_000);

        Assert.Equal(full.Splits.Select(s => s.Count), head.Splits.Select(s => s.Count));
    }
}
