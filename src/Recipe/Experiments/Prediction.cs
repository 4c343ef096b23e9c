namespace Recipe.Experiments;

/// <summary>Which way a prediction says a metric moves.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(SnakeCaseEnum<Direction>))]
public enum Direction { Lower, Higher }

/// <summary>
/// What an experiment says will happen, written down before it runs: the metric it moves, the direction, and the
/// smallest change that counts (in the metric's own units). A change smaller than that, or smaller than the
/// seed-to-seed noise, does not confirm it.
/// </summary>
public sealed record Prediction(string Metric, Direction Direction, double SmallestChange)
{
    /// <summary>"train_loss lower by at least 0.0123".</summary>
    public override string ToString() => $"{Metric} {(Direction == Direction.Lower ? "lower" : "higher")} by at least {SmallestChange:G3}";

    /// <summary>Predicts the metric lower by at least <paramref name="fraction"/> of its baseline value.</summary>
    public static Prediction LowerBy(string metric, double fraction, double baseline) =>
        new(metric, Direction.Lower, fraction * Math.Abs(baseline));

    /// <summary>The change in the predicted direction (positive when it moved as predicted).</summary>
    public double Gain(double baseline, double candidate) => Direction == Direction.Lower ? baseline - candidate : candidate - baseline;
}
