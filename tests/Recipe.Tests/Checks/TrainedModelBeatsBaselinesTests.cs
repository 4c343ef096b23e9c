using Recipe.Checks;
using Recipe.Training;

namespace Recipe.Tests.Checks;

public class TrainedModelBeatsBaselinesTests
{
    static readonly Dictionary<string, double> Baselines = new() { ["majority_loss"] = 1.10, ["linear_loss"] = 0.15 };
    static readonly EvaluationResult UnderTrained = new("validation", 15, 1.05, 0.3);
    static readonly EvaluationResult Trained = new("validation", 15, 0.10, 0.97);

    [Fact]
    public void Given_a_model_cut_off_by_its_budget_while_improving_When_judged_Then_it_fails_and_the_advice_is_more_steps_not_capacity()
    {
        var result = TrainedModelBeatsBaselines.Judge(Baselines, UnderTrained, TimeSpan.Zero,
            new TrainingEnd(10, "used the step budget (10 steps) with validation still improving", StillImproving: true));

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("under-trained", result.Advice);
        Assert.Contains("--budget", result.Advice);
        Assert.DoesNotContain("grow capacity", result.Advice);
        Assert.Contains("after 10 steps", result.Finding);
    }

    [Fact]
    public void Given_a_model_whose_validation_had_stopped_improving_When_it_fails_Then_the_advice_is_capacity()
    {
        var result = TrainedModelBeatsBaselines.Judge(Baselines, UnderTrained, TimeSpan.Zero,
            new TrainingEnd(900, "validation stopped improving", StillImproving: false));

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("grow capacity", result.Advice);
    }

    [Fact]
    public void Given_losses_on_both_sides_of_the_bars_When_asked_whether_they_beat_the_baselines_Then_only_the_one_below_both_does()
    {
        Assert.True(TrainedModelBeatsBaselines.Beats(Baselines, Trained.Loss));
        Assert.False(TrainedModelBeatsBaselines.Beats(Baselines, UnderTrained.Loss));  // not below the prior
        Assert.False(TrainedModelBeatsBaselines.Beats(Baselines, 0.5));               // below the prior, above the linear model
        Assert.Equal(Verdict.Pass, TrainedModelBeatsBaselines.Judge(Baselines, Trained, TimeSpan.Zero).Verdict);
    }
}
