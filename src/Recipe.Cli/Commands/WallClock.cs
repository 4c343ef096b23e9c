using System.Globalization;
using System.Text.RegularExpressions;

namespace Recipe.Cli.Commands;

/// <summary>Durations as people write them on a command line: 90s, 10m, 1.5h, 1h30m (hours, minutes, seconds, in that order).</summary>
public static partial class WallClock
{
    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex Duration();

    /// <summary>The duration, or null when the text is not one, or is zero.</summary>
    public static TimeSpan? Parse(string text)
    {
        var match = Duration().Match(text.Trim().ToLowerInvariant());
        if (!match.Success || text.Trim().Length == 0) return null;
        double Part(string unit) => match.Groups[unit].Success ? double.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
        double seconds = Part("h") * 3600 + Part("m") * 60 + Part("s");
        return seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : null;
    }
}
