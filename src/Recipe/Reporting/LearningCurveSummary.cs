using System.Text.Json.Serialization;
using Recipe.Diagnostics;

namespace Recipe.Reporting;

/// <summary>
/// A learning curve as summary.json shows it, wherever it was measured (stage 4, or the mistakes diagnosis): the points,
/// what was reused or cut, the power-law fit and what twice the data would buy.
/// </summary>
public sealed record LearningCurveSummary(string Error, IReadOnlyList<LearningCurvePoint> Points, int Reused, string? Cut, object? Fit, object? TwiceTheData, double Seconds)
{
    /// <summary>The picture's path in the run folder, where one was written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Picture { get; init; }

    public static LearningCurveSummary Of(LearningCurveReport curve) => new(
        curve.ErrorName, curve.Points, curve.Reused, curve.Cut,
        curve.Estimate is not { } e ? null : new { e.Fit.Scale, e.Fit.Exponent, ExponentP10 = e.ExponentQuantile(0.1), ExponentP90 = e.ExponentQuantile(0.9) },
        curve.TwiceTheData is not { } t ? null : new { TrainExamples = curve.TrainCount, ErrorNow = t.Now, ErrorDoubled = t.Doubled, ErrorDoubledP10 = t.DoubledLow, ErrorDoubledP90 = t.DoubledHigh },
        Math.Round(curve.Elapsed.TotalSeconds, 1));
}
