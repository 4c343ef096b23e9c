using System.ComponentModel;
using System.Globalization;
using Recipe.Checks;
using Recipe.Models;
using Recipe.Stages;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>Options of the commands that run the recipe's stages over one run (run, overfit).</summary>
public class RunSettings : TrainingSettings
{
    [CommandOption("--epochs <N>")]
    [Description("Passes over the training data, exactly (default: until validation stops improving, within a compute budget and --budget).")]
    public int? Epochs { get; init; }

    [CommandOption("--budget <TIME>")]
    [Description("Wall-clock limit of the whole run, e.g. 90s, 10m, 1h30m; stage 3 gets half of what stages 1-2 leave and says what it skipped, training stops when it is used up (default: none).")]
    public string? Budget { get; init; }

    [CommandOption("--knob <NAME=VALUE>")]
    [Description("Start stage 3 from this knob value instead of the default (repeatable): model, width, depth, lr, dropout, weight_decay, augment, input (full or half: images averaged over 2×2 blocks). E.g. --knob width=32.")]
    public string[] Knobs { get; init; } = [];

    [CommandOption("--init-from <CHECKPOINT>")]
    [Description("Start training from these weights (fine-tuning): a PyTorch state_dict (.pt or .safetensors, normalization in FILE.normalization.json) or a run folder. A new output layer starts fresh when the classes differ; stage 3 keeps the checkpoint's architecture.")]
    public string? InitFrom { get; init; }

    [CommandOption("--skip-inspect")]
    [Description("Skip stage 1's data audit.")]
    public bool SkipInspect { get; init; }

    [CommandOption("--skip-checks")]
    [Description("Skip stage 2's checks (only when they already passed on this exact pipeline).")]
    public bool SkipChecks { get; init; }

    [CommandOption("--quick-checks")]
    [Description("Smaller budgets for stage 2's checks and stage 3's trials: faster, weaker evidence.")]
    public bool QuickChecks { get; init; }

    // The regularizers' values are checked where the pipeline is built (an UnknownKnobException is exit 2 there too).
    // Not `batch`: the run recomputes its training config from --batch-size, which is how to set it from here.
    static readonly string[] KnobNames = [DefaultKnobs.Model, DefaultKnobs.Width, DefaultKnobs.Depth, DefaultKnobs.LearningRate,
                                          DefaultKnobs.Dropout, DefaultKnobs.WeightDecay, DefaultKnobs.Augment, DefaultKnobs.Input];

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } common) return common;
        if (Epochs is < 1) return ValidationResult.Error("--epochs must be at least 1");
        if (Budget is not null && WallClock.Parse(Budget) is null)
            return ValidationResult.Error($"--budget must be a positive duration such as 90s, 10m or 1h30m, found '{Budget}'");
        foreach (var knob in Knobs)
            if (KnobProblem(knob, Data) is { } problem) return ValidationResult.Error($"--knob {knob}: {problem}");
        return ValidationResult.Success();
    }

    /// <summary>Why a --knob value cannot be used by Recipe's pipeline, or null.</summary>
    static string? KnobProblem(string knob, string data)
    {
        var parts = knob.Split('=', 2);
        if (parts.Length != 2 || parts[0].Trim().Length == 0) return "expected NAME=VALUE, e.g. width=32";
        var (name, value) = (parts[0].Trim(), parts[1].Trim());
        if (!KnobNames.Contains(name)) return $"the pipeline declares no knob '{name}'; its knobs: {string.Join(", ", KnobNames)}";
        return name switch
        {
            DefaultKnobs.Model when !ModelFactory.Names.Contains(value) => $"expected a model ({string.Join(", ", ModelFactory.Names)}), found '{value}'",
            DefaultKnobs.Model when ModelDataFit.Problem(value, data) is { } misfit => misfit,
            DefaultKnobs.Width or DefaultKnobs.Depth when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 100_000 || (name == DefaultKnobs.Depth && n < 1) =>
                $"expected a whole number{(name == DefaultKnobs.Depth ? " of at least 1" : "")}, found '{value}'",
            DefaultKnobs.LearningRate when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !double.IsFinite(rate) || rate <= 0 =>
                $"expected a positive learning rate, found '{value}'",
            DefaultKnobs.Dropout when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || !(p >= 0 && p < 1) =>
                $"expected a dropout probability in [0, 1), found '{value}'",
            DefaultKnobs.WeightDecay when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double decay) || !(decay >= 0 && double.IsFinite(decay)) =>
                $"expected a weight decay ≥ 0, found '{value}'",
            DefaultKnobs.Augment when value is not (DefaultKnobs.AugmentOff or DefaultKnobs.AugmentShift or DefaultKnobs.AugmentShiftFlip) =>
                $"expected {DefaultKnobs.AugmentOff}, {DefaultKnobs.AugmentShift} or {DefaultKnobs.AugmentShiftFlip} (the last two for images), found '{value}'",
            DefaultKnobs.Input when value is not (DefaultKnobs.InputFull or DefaultKnobs.InputHalf) =>
                $"expected {DefaultKnobs.InputFull} or {DefaultKnobs.InputHalf} (half for images only), found '{value}'",
            _ => null,
        };
    }

    /// <summary>The run's options from these settings.</summary>
    public RunOptions ToOptions() => new()
    {
        Data = Data, Out = OutFolder, Force = Force, Seed = Seed, Model = Model, Epochs = Epochs,
        Budget = Budget is null ? null : WallClock.Parse(Budget),
        BatchSize = BatchSize, LearningRate = LearningRate, TargetColumn = Target, ImageSize = ImageSize, NoHeader = NoHeader, Task = TaskKind,
        InitFrom = InitFrom, SkipInspect = SkipInspect, SkipChecks = SkipChecks, QuickChecks = QuickChecks, Threads = Threads,
        Knobs = Knobs.Select(k => k.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim()),
    };
}
