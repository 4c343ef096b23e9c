using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>Every defect planted into a copy of real Fashion-MNIST is found, at the right place.</summary>
public class ImageAuditTests : IClassFixture<ImageAuditTests.Planted>
{
    /// <summary>The sample cut to 1,500 images per split, with defects appended to the splits (built once for all tests here).</summary>
    public sealed class Planted : IDisposable
    {
        public PlantedImages Images { get; }
        public ImageAudit Audit { get; }
        public Plant ExactWithin, ExactAcross, NearNoise, NearShift, NearBrighter, NearAcrossShiftNoise, NearAcrossDarker,
            ConflictExact, ConflictNear, BlankBlack, BlankWhite, Outside;

        public Planted()
        {
            using var clean = Fixtures.Sample();
            var b = PlantedImages.From(clean, perSplit: 1500);
            ExactWithin = b.ExactCopy("train", 10, "train");
            ExactAcross = b.ExactCopy("train", 20, "test");
            NearNoise = b.NearCopy("train", 30, "train", Change.Noise);
            NearShift = b.NearCopy("train", 40, "train", Change.Shift2);
            NearBrighter = b.NearCopy("train", 50, "train", Change.Brighter);
            NearAcrossShiftNoise = b.NearCopy("train", 60, "test", Change.ShiftAndNoise);
            NearAcrossDarker = b.NearCopy("train", 70, "validation", Change.DarkerAndNoise);
            ConflictExact = b.ExactCopy("train", 80, "train", label: (b.Label("train", 80) + 1) % 10);
            ConflictNear = b.NearCopy("train", 90, "test", Change.Shift1, label: (b.Label("train", 90) + 3) % 10);
            BlankBlack = b.Constant("train", 0, 0);
            BlankWhite = b.Constant("test", 255, 1);
            // A real image from outside the cut (so it duplicates nothing) with a label no class has.
            Outside = b.Add("train", b.Image("train", 5000), 12, "label-outside");
            Images = b.Build();
            Audit = Fixtures.Audit(Images.Data);
        }

        public void Dispose() => Images.Dispose();
    }

    readonly Planted _p;
    public ImageAuditTests(Planted planted) => _p = planted;

    static (string, int) At(Plant p) => (p.Split, p.Index);
    static (string, int) Source(Plant p) => (p.SourceSplit!, p.SourceIndex);

    [Fact]
    public void Given_exact_copies_within_train_When_audited_Then_an_exact_duplicate_names_both()
    {
        Assert.Single(_p.Audit.Findings.Of(FindingKind.ExactDuplicate, Source(_p.ExactWithin), At(_p.ExactWithin)));
        Assert.All(_p.Audit.Findings.Of(FindingKind.ExactDuplicate, Source(_p.ExactWithin)), f => Assert.Equal("train", f.Split));
    }

    [Fact]
    public void Given_a_training_image_copied_into_test_When_audited_Then_a_cross_split_duplicate_names_both()
    {
        var finding = Assert.Single(_p.Audit.Findings.Of(FindingKind.CrossSplitDuplicate, Source(_p.ExactAcross), At(_p.ExactAcross)));
        Assert.Equal("train+test", finding.Split);
        Assert.Equal(1, finding.Statistics["exact"]);
    }

    [Fact]
    public void Given_noisy_shifted_and_brightened_copies_When_audited_Then_each_is_a_near_duplicate_of_its_source()
    {
        foreach (var plant in new[] { _p.NearNoise, _p.NearShift, _p.NearBrighter })
        {
            var finding = Assert.Single(_p.Audit.Findings.Of(FindingKind.NearDuplicate, Source(plant), At(plant)));
            Assert.True(finding.Statistics["max_distance"] <= _p.Audit.NearDuplicates.Options.Threshold);
        }
    }

    [Fact]
    public void Given_near_copies_in_test_and_validation_When_audited_Then_each_is_a_cross_split_near_duplicate()
    {
        Assert.Single(_p.Audit.Findings.Of(FindingKind.CrossSplitDuplicate, Source(_p.NearAcrossShiftNoise), At(_p.NearAcrossShiftNoise)));
        Assert.Single(_p.Audit.Findings.Of(FindingKind.CrossSplitDuplicate, Source(_p.NearAcrossDarker), At(_p.NearAcrossDarker)));
    }

    [Fact]
    public void Given_copies_with_another_label_When_audited_Then_conflicting_labels_are_reported_exact_and_near()
    {
        var exact = Assert.Single(_p.Audit.Findings.Of(FindingKind.ConflictingLabel, Source(_p.ConflictExact), At(_p.ConflictExact)));
        Assert.Equal(1, exact.Statistics["exact"]);
        Assert.Equal(2, exact.Examples.Select(e => e.Label).Distinct().Count());
        var near = Assert.Single(_p.Audit.Findings.Of(FindingKind.ConflictingLabel, Source(_p.ConflictNear), At(_p.ConflictNear)));
        Assert.Equal(0, near.Statistics["exact"]);
    }

    [Fact]
    public void Given_constant_images_When_audited_Then_they_are_blank_in_their_split()
    {
        Assert.Single(_p.Audit.Findings.Of(FindingKind.Blank, At(_p.BlankBlack)));
        Assert.Single(_p.Audit.Findings.Of(FindingKind.Blank, At(_p.BlankWhite)));
        var planted = new[] { At(_p.BlankBlack), At(_p.BlankWhite) };
        Assert.All(_p.Audit.Findings.Where(f => f.Kind == FindingKind.Blank).SelectMany(f => f.Examples),
            e => Assert.Contains((e.Split, e.Index), planted));
    }

    [Fact]
    public void Given_a_label_beyond_the_ten_classes_When_audited_Then_it_is_reported_with_its_index()
    {
        var finding = Assert.Single(_p.Audit.Findings, f => f.Kind == FindingKind.LabelOutsideClasses);
        var example = Assert.Single(finding.Examples);
        Assert.Equal(At(_p.Outside), (example.Split, example.Index));
    }

    [Fact]
    public void Given_the_planted_set_When_audited_Then_exact_duplicates_are_only_the_planted_ones()
    {
        var planted = new[] { _p.ExactWithin, _p.ExactAcross, _p.ConflictExact }.SelectMany(p => new[] { Source(p), At(p) }).ToHashSet();
        var exactMembers = _p.Audit.ExactGroups.SelectMany(g => g).Select(g =>
        {
            var r = _p.Audit.Numbering.Ref(g, null);
            return (r.Split, r.Index);
        }).Where(e => !_p.Images.Of("blank").Any(b => (b.Split, b.Index) == e)).ToHashSet();
        Assert.Equal(planted.Order(), exactMembers.Order());
    }

    [Fact]
    public void Given_the_findings_When_ranked_Then_conflicting_labels_come_before_outliers()
    {
        // Ranked by importance (severity tier × examples × extremeness), so kinds of one tier may interleave.
        var findings = _p.Audit.Findings;
        var importance = findings.Select(f => f.Importance).ToList();
        Assert.Equal(importance.OrderDescending(), importance);
        int lastConflict = findings.ToList().FindLastIndex(f => f.Kind == FindingKind.ConflictingLabel);
        int firstOutlier = findings.ToList().FindIndex(f => f.Kind == FindingKind.Outlier);
        Assert.True(lastConflict >= 0 && firstOutlier > lastConflict, $"last conflicting label at {lastConflict}, first outlier at {firstOutlier}");
        Assert.Equal(FindingImportance.Severity(FindingKind.ConflictingLabel), FindingImportance.Severity(findings[0].Kind));
    }
}
