using System.Globalization;
using Recipe.Checks;
using Recipe.Training;

namespace Recipe.Stages;

/// <summary>Stage 3's learning-rate experiment gets its candidate from the learning-rate range test (<see cref="LearningRateRangeTest"/>).</summary>
public static class LearningRateSuggestions
{
    /// <summary>
    /// Runs the range test on the pipeline as it stands (seeded), saves its curve to <paramref name="picturePath"/>, and
    /// suggests its rate rounded to two significant digits (a rate is never known better than that); null when no rate learned.
    /// </summary>
    public static Func<Pipeline, LearningRateSuggestion?> RangeTest(long seed, string? picturePath) => pipeline =>
    {
        var result = LearningRateRangeTest.Run(pipeline, new LrRangeOptions { Seed = seed });
        if (picturePath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(picturePath)!);
            result.Picture(picturePath);
        }
        if (result.SuggestedRate is not { } rate) return null;
        return new LearningRateSuggestion(double.Parse(rate.ToString("G2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), result.Explanation);
    };
}
