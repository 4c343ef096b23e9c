using System.Diagnostics;

namespace Recipe.Stages;

/// <summary>
/// Where a command's wall time went, phase by phase: each <see cref="Lap"/> books the time since the
/// previous one to a named phase. Reported in summary.json and the report, so a slow run says why.
/// </summary>
public sealed class PhaseClock
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly Dictionary<string, double> _seconds = new();
    TimeSpan _last = TimeSpan.Zero;

    /// <summary>Books the time since the last lap (or the start) to <paramref name="phase"/>.</summary>
    public void Lap(string phase)
    {
        var now = _clock.Elapsed;
        _seconds[phase] = _seconds.GetValueOrDefault(phase) + (now - _last).TotalSeconds;
        _last = now;
    }

    /// <summary>Seconds per phase, in the order the phases first ended, rounded to milliseconds.</summary>
    public IReadOnlyDictionary<string, double> Seconds => _seconds.ToDictionary(p => p.Key, p => Math.Round(p.Value, 3));

    /// <summary>"load 0.4 s · checks 6.2 s · …" for a person.</summary>
    public override string ToString() => Describe(_seconds);

    /// <summary>Seconds per phase as a person reads them: "load 0.4 s · checks 6.2 s · …".</summary>
    public static string Describe(IReadOnlyDictionary<string, double> seconds) =>
        string.Join(" · ", seconds.Select(p => $"{p.Key} {p.Value:F1} s"));
}
