using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Support;
using Recipe.Training;

namespace Recipe.Tests.Training;

public class ValidationGainTests
{
    static ValidationGain Curve(IEnumerable<double> losses)
    {
        var gain = new ValidationGain();
        int step = 0;
        foreach (double loss in losses)
            gain.OnValidation(null!, new ValidationPoint(0, step++ * 10, new EvaluationResult("validation", 100, loss, null)));
        return gain;
    }

    [Fact]
    public void Given_a_curve_still_falling_by_more_than_its_jitter_When_judged_Then_the_gain_is_beyond_noise()
    {
        var rng = new Random(1);
        var gain = Curve(Enumerable.Range(0, 20).Select(i => 1.0 - 0.02 * i + 0.002 * rng.NextDouble()));
        Assert.True(gain.BeyondNoise(windowStart: 100), gain.Describe());
    }

    [Fact]
    public void Given_a_flat_curve_whose_new_lows_are_jitter_When_judged_Then_the_gain_is_within_noise()
    {
        // the same jitter, no trend: the window's lowest point is lower than before only by chance
        var rng = new Random(1);
        var gain = Curve(Enumerable.Range(0, 20).Select(_ => 0.5 + 0.05 * rng.NextDouble()));
        Assert.False(gain.BeyondNoise(windowStart: 100), gain.Describe());
    }

    [Fact]
    public void Given_a_first_budget_whose_second_half_holds_only_two_validation_points_When_judged_Then_the_window_widens_to_three_and_a_falling_curve_is_extended()
    {
        // Fashion-MNIST with a wider model: validation at steps 0, 10, 20 and a budget of 20 judged on its second half (from 10)
        Assert.True(Curve([2.30, 0.50, 0.40]).BeyondNoise(windowStart: 10));
    }

    [Fact]
    public void Given_a_first_budget_with_two_points_on_a_flat_curve_When_judged_Then_the_widened_window_finds_no_gain()
    {
        // the control: the same three points with no fall after the first (0.50 is lowest, the new low is not lower)
        Assert.False(Curve([0.50, 0.52, 0.51]).BeyondNoise(windowStart: 10));
    }

    [Fact]
    public void Given_a_run_with_only_two_validation_points_When_judged_Then_it_is_too_early_to_call_a_plateau_and_the_budget_grows()
    {
        var gain = Curve([2.30, 0.50]);
        Assert.True(gain.BeyondNoise(windowStart: 10));
        Assert.Contains("too early", gain.Describe());
    }

    [Fact]
    public void Given_a_budget_of_one_validation_interval_When_trained_until_plateau_Then_it_is_extended_until_the_curve_can_be_judged()
    {
        // Given a model whose compute-rule budget is a single validation interval (a heavy model on images)
        // When
        var story = TrainSmallTableUntilPlateau(evaluateEverySteps: 10, budgetSteps: 10);

        // Then: not stopped after its two first points; extended and then judged on a measured gain
        Assert.True(story.Result.Steps > 20, story.StopReason);
        Assert.True(story.BudgetExtensions >= 2, story.StopReason);
    }

    [Fact]
    public void Given_a_small_table_still_learning_at_its_budget_When_trained_until_plateau_Then_the_budget_is_extended_and_the_story_says_why_it_stopped()
    {
        // Given a learning rate so small that validation still falls steadily at the 20-step budget
        // When
        var story = TrainSmallTableUntilPlateau(evaluateEverySteps: 2, budgetSteps: 20);

        // Then: extended to the hard cap, and the reason names the gain and its noise
        Assert.Equal(80, story.Result.Steps);
        Assert.Equal(2, story.BudgetExtensions);
        Assert.Equal("step-budget", story.StopKind);
        Assert.Contains("the hard cap", story.StopReason);
        Assert.Contains("against a noise of", story.StopReason);
    }

    /// <summary>An MLP on a noisy two-class table at Adam 3e-4 (slow enough to be still learning), trained until its plateau within an 80-step cap.</summary>
    static TrainingStory TrainSmallTableUntilPlateau(int evaluateEverySteps, int budgetSteps)
    {
        using var data = TinyTables.NoisyTwoClass(train: 200, validation: 100, noise: 0.1);
        var config = new TrainingConfig { BatchSize = 50, LearningRate = 3e-4, Epochs = 100, MaxSteps = 80, EvaluateEverySteps = evaluateEverySteps };
        Seeding.Apply(config.Seed);
        using var model = new Mlp(8, [16], 2);
        using var optimizer = new FusedAdam(model.parameters(), config.LearningRate);
        using var identity = InputNormalizer.Identity();
        return TrainUntilPlateau.Fit(new TrainingContext(model, data, identity, optimizer, config), budgetSteps, timeLeft: null);
    }
}
