using Recipe.Inspect;
using static TorchSharp.torch;

namespace Recipe.Tests.Inspect;

public class NearDuplicateTests
{
    [Fact]
    public void Given_copies_planted_into_real_images_When_searched_Then_recall_and_precision_are_at_least_95_percent()
    {
        // 120 copies: every change (noise, 1–2 pixel shifts, brightness, and combinations) 15 times.
        var score = PlantedNearDuplicates.Measure(copies: 120);

        Assert.True(score.Recall >= 0.95, score.Describe());
        Assert.True(score.Precision >= 0.95, score.Describe());
        Assert.All(score.ByChange.Values, c => Assert.True(c.Found >= c.Planted - 1, score.Describe()));
    }

    [Fact]
    public void Given_the_sample_When_searched_Then_far_fewer_comparisons_are_made_than_all_pairs()
    {
        using var data = Fixtures.Sample();
        var audit = Fixtures.Audit(data);
        var search = audit.NearDuplicates;
        double allPairs = (double)search.Indexed * (search.Indexed - 1) / 2 * ShiftedDescriptors.HalfPlane(search.Options.MaxShift).Length;

        Assert.True(search.Compared < allPairs / 10, $"{search.Compared} comparisons, all pairs at all shifts {allPairs}");
        Assert.Contains("k-means inverted file", search.Method);
        Assert.Contains(search.Options.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture), search.Method);
    }

    [Fact]
    public void Given_an_image_and_its_mirror_When_searched_Then_they_are_not_near_duplicates()
    {
        using var data = Fixtures.Sample();
        var builder = PlantedImages.From(data, perSplit: 300);
        // A shirt and its left-right mirror: similar, but not the same picture.
        var pixels = builder.Image("train", 3);
        var mirrored = Enumerable.Range(0, 784).Select(p => pixels[p / 28 * 28 + 27 - p % 28]).ToArray();
        var plant = builder.Add("train", mirrored, builder.Label("train", 3), "mirror", "train", 3);
        using var planted = builder.Build();

        var audit = Fixtures.Audit(planted.Data);

        Assert.Empty(audit.Findings.Of(FindingKind.NearDuplicate, ("train", 3), (plant.Split, plant.Index)));
    }

    [Fact]
    public void Given_a_pixel_shift_When_descriptors_are_compared_at_that_shift_Then_they_are_identical()
    {
        // The descriptor at shift (dy, dx) reads the window the shifted copy's content moved to.
        using var scope = NewDisposeScope();
        var options = new NearDuplicateOptions();
        var image = rand(1, 28, 28) * (arange(28).view(1, 1, 28) > 3).to_type(float32) * (arange(28).view(1, 28, 1) < 25).to_type(float32);
        var shifted = zeros(1, 28, 28);
        shifted[.., 2.., 1..] = image[.., ..26, ..27];                      // content moved down 2, right 1
        var descriptors = ShiftedDescriptors.Compute(cat([image, shifted], 0), options);
        int shift = Array.IndexOf(descriptors.Shifts, (2, 1));

        var a = descriptors.Of(1, shift).ToArray();   // the copy, read at the shift ...
        var b = descriptors.Of(0, 0).ToArray();       // ... equals the original, read in place

        Assert.True(shift > 0);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 4);
    }
}
