using Recipe.Experiments;
using Recipe.Training;

namespace Recipe.Tests.Experiments;

public class TimedTrialLengthTests
{
    [Fact]
    public void Given_twice_the_time_When_trials_are_sized_Then_each_gets_twice_the_steps()
    {
        // 20 minutes for 12 planned trials at 25 ms a step: 4,000 steps each; 40 minutes: 8,000 (capped at the final run's most)
        int twenty = TimedTrialLength.Steps(TimeSpan.FromMinutes(20), 0.025, floor: 211, plannedTrials: 12);
        int forty = TimedTrialLength.Steps(TimeSpan.FromMinutes(40), 0.025, floor: 211, plannedTrials: 12);

        Assert.Equal(4000, twenty);
        Assert.Equal(Math.Min(8000, TrainingLength.MaxSteps), forty);
    }

    [Fact]
    public void Given_too_little_time_When_trials_are_sized_Then_the_stages_own_length_stands()
    {
        Assert.Equal(211, TimedTrialLength.Steps(TimeSpan.FromSeconds(30), 0.025, floor: 211, plannedTrials: 12));
        Assert.Equal(211, TimedTrialLength.Steps(TimeSpan.Zero, 0.025, floor: 211, plannedTrials: 12));
    }
}
