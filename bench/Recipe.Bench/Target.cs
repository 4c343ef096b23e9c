namespace Recipe.Bench;

/// <summary>A goal a measurement's median must reach: at least or at most a bound.</summary>
public sealed record Target(double Bound, bool AtLeast)
{
    public static Target Minimum(double bound) => new(bound, AtLeast: true);
    public static Target Maximum(double bound) => new(bound, AtLeast: false);

    public bool IsMetBy(double value) => AtLeast ? value >= Bound : value <= Bound;

    public override string ToString() => $"{(AtLeast ? "≥" : "≤")} {Format.Bound(Bound)}";
}
