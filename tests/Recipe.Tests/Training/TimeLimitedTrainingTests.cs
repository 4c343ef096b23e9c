using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Support;
using Recipe.Training;

namespace Recipe.Tests.Training;

/// <summary>
/// With --budget the wall clock, not the step cap, ends a run whose validation still improves beyond its noise; a plateau
/// still ends it early; without --budget the step cap holds (see the hard-cap test in <see cref="ValidationGainTests"/>).
/// </summary>
public class TimeLimitedTrainingTests
{
    /// <summary>Ends the run after a given step: the clock running out, at a step a test can name.</summary>
    sealed class ClockRunsOutAt(int step) : ITrainingHook
    {
        public StopRequest? OnStepEnd(TrainingContext context, StepInfo info) => info.Step >= step ? new StopRequest($"the clock ran out at step {info.Step}") : null;
    }

    static TrainingStory Train(double learningRate, (TimeSpan, string)? timeLeft, int learningRateDrops = 0, int budgetSteps = 20, params ITrainingHook[] hooks)
    {
        using var data = TinyTables.NoisyTwoClass(train: 200, validation: 100, noise: 0.1);
        var config = new TrainingConfig { BatchSize = 50, LearningRate = learningRate, Epochs = 20, MaxSteps = 80, EvaluateEverySteps = 2 };
        Seeding.Apply(config.Seed);
        using var model = new Mlp(8, [16], 2);
        using var optimizer = new FusedAdam(model.parameters(), config.LearningRate);
        using var identity = InputNormalizer.Identity();
        return TrainUntilPlateau.Fit(new TrainingContext(model, data, identity, optimizer, config), budgetSteps, timeLeft, learningRateDrops, hooks);
    }

    [Fact]
    public void Given_a_run_still_improving_at_its_step_cap_When_time_is_left_Then_it_trains_past_the_cap()
    {
        // Given the learning rate at which validation still falls steadily at the 80-step cap (it is extended to it without time)
        var capped = Train(3e-4, timeLeft: null);
        Assert.Equal(80, capped.Result.Steps);
        Assert.Equal("step-budget", capped.StopKind);

        // When the same run has ten minutes on its wall clock, which (standing in for the clock) run out at step 150
        var timed = Train(3e-4, (TimeSpan.FromMinutes(10), "--budget test"), hooks: new ClockRunsOutAt(150));

        // Then the cap does not end it: it goes on while its gain is beyond its noise, until the time is used
        Assert.Equal(150, timed.Result.Steps);
        Assert.StartsWith("the clock ran out", timed.StopReason);
        Assert.True(timed.BudgetExtensions >= 3, $"{timed.BudgetExtensions} extensions"); // 20 → 40 → 80 → 160, beyond the cap
    }

    [Fact]
    public void Given_a_budget_whose_gain_is_within_noise_When_time_is_left_Then_the_rate_is_lowered_there_and_the_run_goes_on()
    {
        // Given a flat validation curve (rate 0) judged at a 4-step budget, before early stopping has seen enough points to give up
        var untimed = Train(0, timeLeft: null, learningRateDrops: 2, budgetSteps: 4);
        Assert.True(untimed.StopKind == "step-budget" && untimed.Result.Steps == 4, $"{untimed.Result.Steps}: {untimed.StopReason}");

        // When the same run has time left
        var timed = Train(0, (TimeSpan.FromMinutes(10), "--budget test"), learningRateDrops: 2, budgetSteps: 4);

        // Then the budget's end lowers the rate (a plateau measured on validation's jitter) and extends, instead of ending the run
        Assert.NotNull(timed.LearningRateDrops);
        Assert.Equal(4, timed.LearningRateDrops!.Dropped[0].Step);
        Assert.True(timed.Result.Steps > 4, timed.StopReason);
    }

    [Fact]
    public void Given_early_stopping_lowers_the_rate_at_the_budgets_end_When_time_is_left_Then_the_budget_extends_without_a_second_drop_there()
    {
        // Given a flat curve (rate 0): early stopping's patience runs out at step 10, the end of a 10-step budget
        var timed = Train(0, (TimeSpan.FromMinutes(10), "--budget test"), learningRateDrops: 2, budgetSteps: 10);

        // Then one drop at step 10 (early stopping's), and the lower rate gets the extended budget instead of ending the run
        Assert.Single(timed.LearningRateDrops!.Dropped, d => d.Step == 10);
        Assert.True(timed.Result.Steps > 10, timed.StopReason);
    }

    [Fact]
    public void Given_a_run_that_plateaus_When_a_long_time_is_left_Then_the_plateau_ends_it_long_before_the_clock()
    {
        // Given a learning rate at which the separable table is learned in a few dozen steps, and a minute on the clock
        var started = System.Diagnostics.Stopwatch.StartNew();

        // When
        var story = Train(0.05, (TimeSpan.FromMinutes(1), "--budget test"), learningRateDrops: 2);

        // Then the run ended on its own (validation flat within its noise, or early stopping), not by the clock
        Assert.NotEqual("wall-clock-budget", story.StopKind);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"{started.Elapsed} for {story.Result.Steps} steps: {story.StopReason}");
    }
}
