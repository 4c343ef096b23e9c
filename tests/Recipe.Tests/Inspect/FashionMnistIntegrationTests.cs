using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>All 70,000 images of Debian's Fashion-MNIST (dataset-fashion-mnist; ./run-tests installs it).</summary>
public class FashionMnistIntegrationTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public void Given_clean_Fashion_MNIST_When_audited_Then_there_is_no_exact_duplicate()
    {
        Assert.True(Directory.Exists(DataSpec.SystemFashionMnist), $"{DataSpec.SystemFashionMnist} is missing: apt-get install dataset-fashion-mnist");
        using var data = DataSpec.Load(DataSpec.SystemFashionMnist);
        Assert.Equal(70_000, data.Splits.Sum(s => s.Count));

        var audit = Fixtures.Audit(data);

        Assert.Empty(audit.ExactGroups);
        Assert.DoesNotContain(audit.Findings, f => f.Kind == FindingKind.ExactDuplicate || (f.Kind == FindingKind.CrossSplitDuplicate && f.Statistics["exact"] == 1));
        Assert.DoesNotContain(audit.Findings, f => f.Kind is FindingKind.Blank or FindingKind.LabelOutsideClasses or FindingKind.Corrupted);
    }
}
