namespace Recipe.Diagnostics;

/// <summary>
/// What <see cref="MistakesDiagnosis"/> looks at. The cheap parts (one pass over validation, one probe batch)
/// always run; the parts that train extra models are off unless asked for: <see cref="LabelErrors"/> (k folds)
/// and <see cref="LearningCurve"/> (sizes × seeds trainings).
/// </summary>
public sealed record MistakesOptions
{
    /// <summary>Examples in the highest-loss gallery (and rows for tables, lines for text).</summary>
    public int GalleryCount { get; init; } = 32;
    /// <summary>Validation examples forwarded for activation histograms and dead units.</summary>
    public int ProbeExamples { get; init; } = 512;
    /// <summary>Lines sampled from a sequence model.</summary>
    public int Samples { get; init; } = 8;
    /// <summary>Suspected label errors by k-fold confident learning on the training split; null = off.</summary>
    public LabelErrorOptions? LabelErrors { get; init; }
    /// <summary>The learning curve (10 / 25 / 50 / 100 % of the training split); null = off.</summary>
    public LearningCurveOptions? LearningCurve { get; init; }
    public long Seed { get; init; } = 0;
}
