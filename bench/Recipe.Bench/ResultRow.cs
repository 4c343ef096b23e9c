namespace Recipe.Bench;

/// <summary>
/// One line of the results table: a measured quantity (a speed, a time, or a ratio of two of them),
/// with the target it must meet when there is one. <see cref="Note"/> explains a missing value.
/// </summary>
public sealed record ResultRow(string Benchmark, string Measure, Sample? Value, Target? Target = null, string? Note = null)
{
    /// <summary>A row for a quantity that could not be measured (e.g. PyTorch is not installed).</summary>
    public static ResultRow Missing(string benchmark, string measure, string why) => new(benchmark, measure, null, null, why);

    /// <summary>"yes"/"NO" against the target, "" when there is no target or no value.</summary>
    public string Met => Value is null || Target is null ? "" : Target.IsMetBy(Value.Median) ? "yes" : "NO";
}
