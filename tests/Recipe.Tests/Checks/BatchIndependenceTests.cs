using Recipe.Checks;
using Recipe.Checks.Stage2;

namespace Recipe.Tests.Checks;

public class BatchIndependenceTests
{
    static Pipeline WithScanner(bool viewInsteadOfPermute) => CheckTestData.FashionPipeline() with
    {
        CreateModel = () => new RowScanner(28, 10, viewInsteadOfPermute),
    };

    [Fact]
    public void Given_rows_moved_sequence_first_with_permute_When_checked_Then_examples_stay_independent()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), WithScanner(viewInsteadOfPermute: false));
        Assert.Equal(0, result.Evidence["relative_dependence_on_other_examples"]);
    }

    [Fact]
    public void Given_rows_moved_sequence_first_with_view_instead_of_permute_When_checked_Then_the_mixed_batch_fails_it()
    {
        CheckAssert.Verdict(Verdict.Fail, new BatchIndependence(), WithScanner(viewInsteadOfPermute: true));
    }

    [Fact]
    public void Given_the_default_models_When_checked_Then_mlp_and_causal_conv_pass()
    {
        CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), CheckTestData.FashionPipeline());
        CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), CheckTestData.WordsPipeline());
    }
}
