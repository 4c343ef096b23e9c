using System.Globalization;
using System.Text;
using Recipe.Inspect;
using Recipe.Tests.Support;
using static Recipe.Tests.Inspect.SklearnTables;

namespace Recipe.Tests.Inspect;

/// <summary>
/// The reproductions of "noise that hides the signal" on real tables: digits' sparse pixels gave outliers with z up
/// to 52, wine's class ratio of 1.5 was an imbalance, and clean tables gave lists longer than a person reads.
/// </summary>
public class RealTableFindingsTests
{
    /// <summary>A short list a person reads on one screen; everything else belongs in summary.json.</summary>
    const int ScreenOfFindings = 5;

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_digits_pixels_as_columns_When_audited_Then_no_pixel_has_outliers_but_a_planted_impossible_value_is_one()
    {
        using var folder = new TempFolder();
        var clean = Audit(Write(folder.Path, "digits"));
        Assert.DoesNotContain(clean.Findings, f => f.Kind == FindingKind.Outlier);

        // Pixel 63 (bottom right) is 0 in most images; one image gets 255 on a 0..16 scale.
        var planted = Audit(Write(folder.Path, "digits", new Planted("broken_pixel", (row, x, _, _) => (row == 100 ? 255 : x[63]).ToString(CultureInfo.InvariantCulture))));
        var outlier = Assert.Single(planted.Findings, f => f.Kind == FindingKind.Outlier);
        Assert.Equal("broken_pixel", outlier.Subject);
        Assert.Equal("line 102", outlier.Examples[0].Origin);
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("iris")]
    [InlineData("wine")]
    [InlineData("breast_cancer")]
    [InlineData("digits")]
    [InlineData("diabetes")]
    public void Given_a_clean_real_table_When_audited_Then_the_findings_fit_on_a_screen(string name)
    {
        using var folder = new TempFolder();
        var audit = Audit(Write(folder.Path, name));

        Assert.True(audit.Findings.Count <= ScreenOfFindings, $"{audit.Findings.Count} findings: {string.Join(" | ", audit.Findings.Select(f => f.Message))}");
    }

    [Theory]
    [InlineData(60, 40, false)]   // ratio 1.5, like wine: the plain loss and accuracy still work
    [InlineData(80, 20, true)]    // ratio 4: always guessing the large class scores 80%
    public void Given_two_classes_in_a_ratio_When_audited_Then_imbalance_is_reported_only_when_it_changes_what_a_model_does(int large, int small, bool reported)
    {
        using var folder = new TempFolder();
        var random = new Random(1);
        var text = new StringBuilder("x,label\n");
        // 500 rows: every split holds both classes near the planted ratio.
        for (int copy = 0; copy < 5; copy++)
        {
            for (int i = 0; i < large; i++) text.AppendLine($"{random.NextDouble().ToString("R", CultureInfo.InvariantCulture)},big");
            for (int i = 0; i < small; i++) text.AppendLine($"{random.NextDouble().ToString("R", CultureInfo.InvariantCulture)},small");
        }
        var path = folder.Combine("two.csv");
        File.WriteAllText(path, text.ToString());

        var audit = Audit(path);

        Assert.Equal(reported, audit.Findings.Any(f => f.Kind == FindingKind.Imbalance));
    }
}
