using Recipe.Experiments;

namespace Recipe.Tests.Experiments;

public class BaselineAdmissionTests
{
    [Fact]
    public void Given_a_baseline_and_noise_seeds_that_fit_in_half_the_time_When_admitted_Then_the_stage_may_start()
    {
        // 3 trials × 200 steps × 50 ms = 30 s, against half of 3 minutes
        Assert.Null(BaselineAdmission.Refusal(3, 200, 0.05, TimeSpan.FromMinutes(3), "Stage 3"));
    }

    [Fact]
    public void Given_a_baseline_and_noise_seeds_that_would_take_most_of_the_time_When_admitted_Then_the_stage_is_refused_with_the_numbers()
    {
        // 3 trials × 586 steps × 100 ms = 176 s, against half of 3 minutes (what a loaded machine gave on words)
        var why = BaselineAdmission.Refusal(3, 586, 0.1, TimeSpan.FromMinutes(3), "Stage 3");

        Assert.NotNull(why);
        Assert.Contains("Stage 3 was skipped for time", why);
        Assert.Contains("176 s", why);
        Assert.Contains("180 s", why);
    }
}
