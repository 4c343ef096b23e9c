using Recipe.Checks;
using Recipe.Reporting;
using Recipe.Training;

namespace Recipe.Tests.Reporting;

/// <summary>
/// A failed check reads as what was found, not as its hopeful hypothesis after a small badge: the reproduction is
/// "fail — The trained model beats the dumb baselines", which reads as good news.
/// </summary>
public class CheckHeadlineTests
{
    static readonly Dictionary<string, double> Baselines = new()
    {
        ["majority_loss"] = 2.3, ["majority_accuracy"] = 0.1, ["linear_loss"] = 0.31, ["linear_accuracy"] = 0.9,
    };

    static CheckResult Trained(double loss) => TrainedModelBeatsBaselines.Judge(Baselines, new EvaluationResult("validation", 1000, loss, 0.8), TimeSpan.Zero);

    [Fact]
    public void Given_a_model_worse_than_the_linear_baseline_When_headlined_Then_it_leads_with_the_measurement_and_NOT_not_with_the_hypothesis()
    {
        var result = Trained(0.52);
        Assert.Equal(Verdict.Warn, result.Verdict);   // beating the linear model is a soft rule

        var headline = CheckHeadline.Of(result);

        Assert.StartsWith("WARN: model validation loss, as a share of a linear model's trained on the same budget is 168 %, NOT ≤ 100 %; ", headline);
        Assert.Contains("0.52", headline);
        Assert.DoesNotContain(result.Hypothesis.TrimEnd('.'), headline);
    }

    [Fact]
    public void Given_a_model_that_beats_the_baselines_When_headlined_Then_it_passes_with_its_numbers_and_no_NOT()
    {
        var result = Trained(0.2);

        Assert.Equal($"PASS: {result.Finding}", CheckHeadline.Of(result));
        Assert.DoesNotContain("NOT", CheckHeadline.Of(result));
    }

    [Fact]
    public void Given_a_failed_check_in_the_report_When_rendered_Then_the_badge_is_followed_by_the_finding_and_the_hypothesis_is_marked_as_not_held()
    {
        var result = Trained(5.0);
        Assert.Equal(Verdict.Fail, result.Verdict);

        var html = new HtmlReport("t").CheckOverview([result]).CheckDetails([result]).Render();

        Assert.Contains("<span class=\"badge fail\">fail</span> model validation loss, as a share of the prior predictor&#39;s is 217 %, NOT ≤ 90 %", html);
        Assert.Contains("Hypothesis (did NOT hold): The trained model beats", html);
        Assert.DoesNotContain("<span class=\"badge fail\">fail</span> The trained model", html);
    }
}
