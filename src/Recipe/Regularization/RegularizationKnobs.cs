namespace Recipe.Regularization;

/// <summary>
/// The knobs stage 4 varies, as agreed for Recipe's own pipelines and open to any user's pipeline that declares them
/// (besides <see cref="Checks.DefaultKnobs"/>' width and depth). A pipeline that declares only some gets only those steps.
/// </summary>
public static class RegularizationKnobs
{
    /// <summary>Dropout probability; "0" is none.</summary>
    public const string Dropout = "dropout";
    /// <summary>Decoupled weight decay (AdamW's: weights shrink by lr · decay each step); "0" is none.</summary>
    public const string WeightDecay = "weight_decay";
    /// <summary>"off", "shift", or "shift+flip".</summary>
    public const string Augment = "augment";
    /// <summary>"full", or "half": an image averaged over 2×2 blocks, a table without its weaker half of columns, before the model.</summary>
    public const string Input = "input";
    /// <summary>Batch size.</summary>
    public const string Batch = "batch";
}
