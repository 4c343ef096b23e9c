namespace Recipe.Stages;

/// <summary>What `recipe run` was asked to do.</summary>
public sealed record RunOptions
{
    /// <summary>A built-in name (fashion-mnist, words) or a path.</summary>
    public string Data { get; init; } = Recipe.Data.DataSpec.DefaultSpec;
    public string Out { get; init; } = "runs/latest";
    /// <summary>Write into <see cref="Out"/> even when it holds files Recipe did not write (they are kept); otherwise such a folder is refused.</summary>
    public bool Force { get; init; }
    public long Seed { get; init; } = 0;
    /// <summary>Model name (see ModelFactory.Names); null picks the default for the data.</summary>
    public string? Model { get; init; }
    /// <summary>
    /// Passes over the training data, exactly; null (the default) trains until validation stops improving, within a
    /// compute budget (<see cref="Training.TrainingLength"/>) and <see cref="Budget"/>, and puts back the best weights.
    /// </summary>
    public int? Epochs { get; init; }
    /// <summary>Wall-clock limit of the whole run; training stops when it is used up (stages 1 and 2 run whole). Null: none.</summary>
    public TimeSpan? Budget { get; init; }
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 3e-4;
    public string? TargetColumn { get; init; }
    /// <summary>CSV only: the first line is data (columns named col0, col1, …).</summary>
    public bool NoHeader { get; init; }
    /// <summary>CSV only: classification or regression; null guesses from the target.</summary>
    public Recipe.Data.TaskKind? Task { get; init; }
    public int ImageSize { get; init; } = 32;
    /// <summary>Skip stage 1 (the data audit).</summary>
    public bool SkipInspect { get; init; }
    /// <summary>Skip stage 2 (the checks). Only for when they already passed on this exact pipeline.</summary>
    public bool SkipChecks { get; init; }
    /// <summary>Knob values the skeleton starts from (Recipe's knobs: model, width, depth, lr); a name it does not declare is an UnknownKnobException.</summary>
    public IReadOnlyDictionary<string, string> Knobs { get; init; } = new Dictionary<string, string>();
    /// <summary>Skip stage 3 (the overfit experiments): the skeleton is trained as it is.</summary>
    public bool SkipOverfit { get; init; }
    /// <summary>Wall time stage 3 may use when there is no <see cref="Budget"/>; null: <see cref="OverfitStage.DefaultAllowance"/>.</summary>
    public TimeSpan? OverfitTime { get; init; }
    /// <summary>Skip stage 4 (the regularization experiments): stage 3's best is trained as it is.</summary>
    public bool SkipRegularize { get; init; }
    /// <summary>Wall time stage 4 may use when there is no <see cref="Budget"/>; null: <see cref="RegularizeStage.DefaultAllowance"/>.</summary>
    public TimeSpan? RegularizeTime { get; init; }
    /// <summary>Smaller check budgets (CheckOptions.Quick): faster, weaker evidence.</summary>
    public bool QuickChecks { get; init; }
    /// <summary>A checkpoint (.pt, .safetensors or a run folder) whose weights training starts from; null trains from scratch.</summary>
    public string? InitFrom { get; init; }
    /// <summary>What the look at the final model's mistakes covers; k-fold label errors and the learning curve are off by default (they train extra models).</summary>
    public Recipe.Diagnostics.MistakesOptions Mistakes { get; init; } = new();
    /// <summary>Torch intra-op threads; null leaves torch's default.</summary>
    public int? Threads { get; init; }
}
