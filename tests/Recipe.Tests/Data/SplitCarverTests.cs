using Recipe.Data;

namespace Recipe.Tests.Data;

public class SplitCarverTests
{
    /// <summary>Unbalanced classes in a shuffled-looking order: 50, 31, 12 and 7 examples.</summary>
    static int[] Classes()
    {
        int[] counts = [50, 31, 12, 7];
        var classes = counts.SelectMany((n, c) => Enumerable.Repeat(c, n)).ToArray();
        return classes.Select((c, i) => (c, key: (i * 37) % classes.Length)).OrderBy(p => p.key).Select(p => p.c).ToArray();
    }

    [Fact]
    public void Given_classes_When_carved_Then_every_class_keeps_its_share_within_one_example()
    {
        var classes = Classes();

        var (kept, carved) = SplitCarver.Carve(classes.Length, 0.2, classes);

        foreach (var group in classes.GroupBy(c => c))
        {
            int inCarved = carved.Count(i => classes[i] == group.Key);
            Assert.InRange(inCarved, group.Count() * 0.2 - 1, group.Count() * 0.2 + 1);
            Assert.Equal(group.Count(), inCarved + kept.Count(i => classes[i] == group.Key));
        }
    }

    [Fact]
    public void Given_a_split_When_carved_Then_kept_and_carved_are_disjoint_ascending_and_cover_everything()
    {
        var classes = Classes();

        var (kept, carved) = SplitCarver.Carve(classes.Length, 0.1, classes);

        Assert.Empty(kept.Intersect(carved));
        Assert.Equal(Enumerable.Range(0, classes.Length).Select(i => (long)i), kept.Concat(carved).Order());
        Assert.Equal(kept.Order(), kept);
        Assert.Equal(carved.Order(), carved);
        Assert.Equal(10, carved.Length);
    }

    [Fact]
    public void Given_the_same_split_twice_When_carved_Then_the_same_indices_come_out()
    {
        var first = SplitCarver.Carve(100, 0.1, Classes());
        var second = SplitCarver.Carve(100, 0.1, Classes());

        Assert.Equal(first.Carved, second.Carved);
        Assert.Equal(first.Kept, second.Kept);
    }

    [Fact]
    public void Given_no_classes_When_carved_Then_the_fraction_is_taken_uniformly_and_not_from_one_end()
    {
        var (_, carved) = SplitCarver.Carve(200, 0.1, null);

        Assert.Equal(20, carved.Length);
        Assert.Contains(carved, i => i < 100);
        Assert.Contains(carved, i => i >= 100);
    }
}
