using System.Globalization;

namespace Recipe.Checks;

/// <summary>Which side of the threshold is good.</summary>
public enum Bound
{
    AtMost,
    AtLeast,
}

/// <summary>
/// A named threshold, kept apart from the computation that measures the value. The title states the
/// threshold ("relative gap ≤ 0.1"), so a report reads as the rule that was applied. A value that is
/// not a number never holds.
/// </summary>
/// <param name="Quantity">What is measured, e.g. "loss gap to the prior entropy (share)".</param>
/// <param name="WhenViolated">The verdict when the value is on the wrong side: fail, or warn for soft rules.</param>
/// <param name="Format">How the threshold is printed in the title (.NET numeric format).</param>
public sealed record Condition(string Quantity, Bound Bound, double Threshold, Verdict WhenViolated = Verdict.Fail, string Format = "G3")
{
    public static Condition AtMost(string quantity, double threshold, Verdict whenViolated = Verdict.Fail, string format = "G3") =>
        new(quantity, Bound.AtMost, threshold, whenViolated, format);

    public static Condition AtLeast(string quantity, double threshold, Verdict whenViolated = Verdict.Fail, string format = "G3") =>
        new(quantity, Bound.AtLeast, threshold, whenViolated, format);

    /// <summary>The rule as a person reads it, e.g. "max |Δ loss| between the runs ≤ 1E-06".</summary>
    public string Title => $"{Quantity} {(Bound == Bound.AtMost ? "≤" : "≥")} {Threshold.ToString(Format, CultureInfo.InvariantCulture)}";

    public bool Holds(double value) => Bound == Bound.AtMost ? value <= Threshold : value >= Threshold;

    public ConditionOutcome Test(double value) => new(Title, value, Holds(value) ? Verdict.Pass : WhenViolated);
}

/// <summary>A condition applied to a measured value.</summary>
public sealed record ConditionOutcome(string Title, double Value, Verdict Verdict);
