using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>
/// A near duplicate must stand out from the look-alikes around it: in a crowd of distinct but similar images (all
/// within the fixed threshold of each other, like Fashion-MNIST's plain trousers) only the real copies remain.
/// </summary>
public class DistinctivePairsTests
{
    static readonly NearDuplicateOptions Options = new();   // threshold 0.11, crowd of 5, ratio 0.5

    /// <summary>Images 0..9 look alike: every pair within the threshold (0.08–0.10).</summary>
    static List<NearDuplicatePair> Crowd()
    {
        var pairs = new List<NearDuplicatePair>();
        for (int a = 0; a < 10; a++)
            for (int b = a + 1; b < 10; b++)
                pairs.Add(new NearDuplicatePair(a, b, 0.08 + 0.02 * ((a * 7 + b * 3) % 10) / 10.0, 0, 0));
        return pairs;
    }

    static (int, int)[] Kept(List<NearDuplicatePair> pairs) => DistinctivePairs.Keep(pairs, Options).Select(p => (p.A, p.B)).Order().ToArray();

    [Fact]
    public void Given_a_crowd_of_look_alikes_and_one_copy_When_judged_Then_only_the_copy_is_a_near_duplicate()
    {
        var pairs = Crowd();
        pairs.Add(new NearDuplicatePair(0, 10, 0.02, 1, 0));   // image 10: image 0 shifted by a pixel, with noise
        pairs.AddRange(Enumerable.Range(1, 9).Select(b => new NearDuplicatePair(b, 10, 0.09, 0, 0)));

        Assert.Equal([(0, 10)], Kept(pairs));
    }

    [Fact]
    public void Given_three_copies_inside_a_crowd_When_judged_Then_all_three_pairs_are_kept()
    {
        var pairs = Crowd();
        foreach (var (a, b) in new[] { (0, 10), (0, 11), (10, 11) }) pairs.Add(new NearDuplicatePair(a, b, 0.02, 0, 0));
        foreach (var copy in new[] { 10, 11 }) pairs.AddRange(Enumerable.Range(1, 9).Select(b => new NearDuplicatePair(b, copy, 0.09, 0, 0)));

        Assert.Equal([(0, 10), (0, 11), (10, 11)], Kept(pairs));
    }

    [Fact]
    public void Given_a_pair_with_no_crowd_around_it_When_judged_Then_the_threshold_alone_decides()
    {
        List<NearDuplicatePair> pairs = [new(20, 21, 0.10, 0, 0), new(22, 23, 0.12, 0, 0)];

        Assert.Equal([(20, 21)], Kept(pairs));
    }
}
