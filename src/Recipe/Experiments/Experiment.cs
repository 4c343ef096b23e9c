using System.Text.Json.Serialization;

namespace Recipe.Experiments;

/// <summary>
/// One change against the current best pipeline, with the prediction written before it ran, what it measured, the
/// verdict, and whether the change was kept. A skipped experiment (no time left, nothing to try) has a reason and no
/// measurement, so the log also says what the recipe did not try.
/// </summary>
public sealed record Experiment
{
    /// <summary>1, 2, … in the order they ran within the run.</summary>
    public required int Number { get; init; }
    /// <summary>The stage that ran it: "overfit" (stage 3); later "regularize", "tune".</summary>
    public required string Stage { get; init; }
    /// <summary>What kind of change: "learning-rate", "capacity", …</summary>
    public required string Kind { get; init; }
    /// <summary>The change in words: "width 16 → 32".</summary>
    public required string Change { get; init; }
    /// <summary>The knob values the change sets (only those it changes).</summary>
    public required IReadOnlyDictionary<string, string> Knobs { get; init; }
    /// <summary>Why the recipe expects it to help (one sentence).</summary>
    public required string Rationale { get; init; }
    public required Prediction Prediction { get; init; }
    /// <summary>The pipeline it ran (one line).</summary>
    public required string Pipeline { get; init; }
    /// <summary>The metric of the current best pipeline, same seed and steps.</summary>
    public required double Baseline { get; init; }
    /// <summary>The seed-to-seed standard deviation of the baseline's metric, measured in this run.</summary>
    public required double NoiseSigma { get; init; }
    /// <summary>The candidate's trial; null when skipped.</summary>
    public TrialMeasurement? Measurement { get; init; }
    /// <summary>Null when skipped.</summary>
    public ExperimentVerdict? Verdict { get; init; }
    public bool Kept { get; init; }
    public bool Skipped { get; init; }
    /// <summary>The verdict's numbers, and why it was (not) kept or skipped.</summary>
    public required string Reason { get; init; }
    /// <summary>The checkpoint the trial's model started from (fine-tuning, --init-from); null: the pipeline's own initialization.</summary>
    public string? InitializedFrom { get; init; }
    /// <summary>The fast stage-2 checks re-run after the change was kept: id → verdict.</summary>
    public IReadOnlyDictionary<string, string> Rechecks { get; init; } = new Dictionary<string, string>();

    /// <summary>The measured value of the predicted metric; NaN when skipped.</summary>
    [JsonIgnore]
    public double Outcome => Measurement?.Metric(Prediction.Metric) ?? double.NaN;
}

/// <summary>Enums in summary.json as snake_case words ("inconclusive"), both ways.</summary>
public sealed class SnakeCaseEnum<T>() : JsonStringEnumConverter<T>(System.Text.Json.JsonNamingPolicy.SnakeCaseLower) where T : struct, Enum;
