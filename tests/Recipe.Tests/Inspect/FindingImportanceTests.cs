using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>Findings are ranked by severity × examples × extremeness: graver kinds first, then bigger and more extreme ones.</summary>
public class FindingImportanceTests
{
    static Finding Outliers(int count, double maxZ, string subject) =>
        new(FindingKind.Outlier, "train", subject, [], count, new Dictionary<string, double> { ["limit"] = 6, ["max_abs_z"] = maxZ }) { Subject = subject };

    [Fact]
    public void Given_one_cross_split_duplicate_and_thousands_of_outliers_When_ranked_Then_the_duplicate_comes_first()
    {
        var duplicate = new Finding(FindingKind.CrossSplitDuplicate, "train+test", "same image in train and test", [new("train", 1, 1, "#1", "a"), new("test", 2, 2, "#2", "a")]);

        var ranked = Finding.Ranked([Outliers(5000, 60, "brightness"), duplicate]);

        Assert.Same(duplicate, ranked[0]);
    }

    [Fact]
    public void Given_outlier_findings_of_one_kind_When_ranked_Then_more_examples_and_more_extreme_values_come_first()
    {
        var few = Outliers(2, 7, "few");
        var many = Outliers(200, 7, "many");
        var extreme = Outliers(2, 300, "extreme");

        var ranked = Finding.Ranked([few, extreme, many]).Select(f => f.Subject).ToList();

        Assert.Equal("few", ranked[^1]);
        Assert.True(many.Importance > few.Importance);
        Assert.True(extreme.Importance > few.Importance);
    }

    [Fact]
    public void Given_an_imbalance_When_ranked_Then_a_larger_ratio_matters_more()
    {
        Finding Imbalance(double ratio) => new(FindingKind.Imbalance, "train", "", [], 0, new Dictionary<string, double> { ["ratio"] = ratio, ["limit"] = 3 });

        Assert.True(Imbalance(30).Importance > Imbalance(3.2).Importance);
    }
}
