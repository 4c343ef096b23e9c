using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Support;
using Recipe.Training;

namespace Recipe.Tests.Training;

public class FinalStretchDropTests
{
    /// <summary>A clock the test drives: one second a step, so "the time" is the step count.</summary>
    sealed class StepClock(int runsOutAt) : ITrainingHook
    {
        public int Step { get; private set; }
        public TimeSpan Elapsed => TimeSpan.FromSeconds(Step);
        public StopRequest? OnStepEnd(TrainingContext context, StepInfo info)
        {
            Step = info.Step;
            return info.Step >= runsOutAt ? new StopRequest($"the clock ran out at step {info.Step}") : null;
        }
    }

    /// <summary>
    /// A run its 150-second clock ends, with early stopping's patience longer than the run (as late in a long run, where
    /// patience grows with the best step): only the drops under test are made. Optionally one drop forced at a step.
    /// </summary>
    static (TrainingResult Result, LearningRateDrops Drops, FinalStretchDrop? Stretch) Train(double learningRate, bool finalStretch, int? plateauDropAt = null)
    {
        using var data = TinyTables.NoisyTwoClass(train: 200, validation: 100, noise: 0.1);
        var config = new TrainingConfig { BatchSize = 50, LearningRate = learningRate, Epochs = 1000, MaxSteps = 1000, EvaluateEverySteps = 2 };
        Seeding.Apply(config.Seed);
        using var model = new Mlp(8, [16], 2);
        using var optimizer = new FusedAdam(model.parameters(), config.LearningRate);
        using var identity = InputNormalizer.Identity();
        using var early = new EarlyStopping(minimumEvaluations: 1000);
        var drops = new LearningRateDrops(early, drops: 2);
        var gain = new ValidationGain();
        var clock = new StepClock(runsOutAt: 150);
        List<ITrainingHook> hooks = [clock, gain, drops];
        if (plateauDropAt is { } at) hooks.Add(new DropAt(drops, at));
        var stretch = finalStretch ? new FinalStretchDrop(drops, gain, TimeSpan.FromSeconds(150), () => clock.Elapsed) : null;
        if (stretch is not null) hooks.Add(stretch);
        var result = new Trainer(hooks).Fit(new TrainingContext(model, data, identity, optimizer, config));
        return (result, drops, stretch);
    }

    /// <summary>A rate at which the table is learned in a few dozen steps: by step 90 the curve only jitters.</summary>
    const double Settled = 0.05;

    /// <summary>A rate at which validation still falls steadily at step 150.</summary>
    const double StillFalling = 3e-4;

    [Fact]
    public void Given_a_run_at_its_rates_noise_floor_that_the_clock_ends_When_its_last_fifth_begins_Then_the_rate_is_lowered_once_there()
    {
        // Given the control: without the hook the clock ends the run at its starting rate, no plateau ever came
        var (plain, plainDrops, _) = Train(Settled, finalStretch: false);
        Assert.Empty(plainDrops.Dropped);
        Assert.StartsWith("the clock ran out", plain.StopReason);

        // When the last fifth of the time (steps 120–150) may lower the rate
        var (stretched, drops, stretch) = Train(Settled, finalStretch: true);

        // Then validation's gain over the 30 steps before was within its jitter: one drop, at the stretch's first validation, to a tenth
        Assert.True(stretch!.Judgement is { } j && j.Gain <= j.Noise, $"{stretch.Judgement}");
        var drop = Assert.Single(drops.Dropped);
        Assert.Equal(120, drop.Step);
        Assert.Equal(Settled / 10, drop.Rate, 12);
        Assert.Contains("the last 20", drops.Describe());
        Assert.Equal(150, stretched.Steps);
    }

    [Fact]
    public void Given_a_run_still_falling_beyond_its_noise_When_its_last_fifth_begins_Then_the_rate_that_makes_progress_is_kept()
    {
        var (_, drops, stretch) = Train(StillFalling, finalStretch: true);

        Assert.True(stretch!.Judgement is { } j && j.Gain > j.Noise, $"{stretch.Judgement}");
        Assert.Empty(drops.Dropped);
        Assert.Null(stretch.DroppedAtStep);
    }

    [Fact]
    public void Given_a_plateau_lowered_the_rate_within_the_last_fifth_When_the_stretch_begins_Then_no_second_drop_is_made()
    {
        // Given a plateau's drop at step 110, just before the stretch (120) and well within its 30 s
        var (_, drops, stretch) = Train(Settled, finalStretch: true, plateauDropAt: 110);

        Assert.Equal([110], drops.Dropped.Select(d => d.Step));
        Assert.Null(stretch!.DroppedAtStep);
    }

    sealed class DropAt(LearningRateDrops drops, int step) : ITrainingHook
    {
        public StopRequest? OnValidation(TrainingContext context, ValidationPoint validation)
        {
            if (validation.Step == step) drops.TryDrop(context, step);
            return null;
        }
    }
}
