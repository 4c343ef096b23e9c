using Recipe.Experiments;

namespace Recipe.Tests.Experiments;

public class CurveTrendTests
{
    static TrialMeasurement Trial(double trainLoss, IReadOnlyList<double> curve) => new(0, curve.Count, trainLoss, trainLoss, null, 1, curve);

    static double[] Line(double from, double to, int points = 40) =>
        Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();

    [Fact]
    public void Given_a_falling_and_a_flat_curve_When_their_end_drop_is_measured_Then_only_the_falling_one_is_positive()
    {
        Assert.True(CurveTrend.EndDrop(Line(2, 1)) > 0.2);
        Assert.Equal(0, CurveTrend.EndDrop(Line(1, 1)), 12);
        Assert.Equal(0, CurveTrend.EndDrop([1.0, 0.5]));
    }

    [Fact]
    public void Given_a_candidate_behind_the_best_When_its_curve_still_falls_fast_Then_it_is_catching_up_and_a_flat_one_is_not()
    {
        var best = Trial(0.50, Line(0.8, 0.5));
        var quiet = new SeedNoise([0, 1, 2], [0.07, 0.08, 0.075]);

        Assert.True(CurveTrend.StillCatchingUp(best, Trial(0.55, Line(2.0, 0.55)), quiet));
        Assert.False(CurveTrend.StillCatchingUp(best, Trial(0.55, Line(0.6, 0.55)), quiet));
        // falling faster, but the gap is too wide to close in another trial as long
        Assert.False(CurveTrend.StillCatchingUp(best, Trial(3.0, Line(4.5, 3.0)), quiet));
        // the same extra fall is within a noisy baseline's seed-to-seed spread of the fall
        Assert.False(CurveTrend.StillCatchingUp(best, Trial(0.55, Line(2.0, 0.55)), new SeedNoise([0, 1, 2], [0.0, 0.5, 1.0])));
    }
}
