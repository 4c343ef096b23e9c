namespace Recipe.Stages;

/// <summary>
/// Where stage 3 gets the learning-rate range test's suggestion. The seam for the range test
/// (Training/LearningRateRangeTest.cs): null until it is wired in, and the learning-rate experiment is then reported as not run.
/// </summary>
public static class LearningRateSuggestions
{
    public static Func<Checks.Pipeline, LearningRateSuggestion?>? For(RunOptions options) => null;
}
