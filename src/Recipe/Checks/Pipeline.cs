using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks;

/// <summary>
/// The user's parts that the checks run against: the data, a model factory, a loss, an input transform,
/// an optional augmentation and an optimizer/schedule factory. Build one from your own TorchSharp code
/// and pass it to <see cref="CheckSuite.Run"/>; <see cref="Default"/> builds Recipe's own.
/// </summary>
/// <example>
/// <code>
/// var pipeline = new Pipeline
/// {
///     Data = data,
///     CreateModel = () => new MyNet(),
///     Loss = (output, targets) => nn.functional.cross_entropy(output, targets),
///     Transform = stored => stored.to_type(float32).div(255f).sub(0.286f).div(0.353f),
///     CreateOptimizer = (parameters, plan) => new OptimizerSetup(new FusedAdam(parameters, 3e-4)),
/// };
/// var result = CheckSuite.Run(pipeline);
/// </code>
/// </example>
public sealed record Pipeline
{
    /// <summary>Train, validation and test splits. Checks train on train and measure on validation; test is never touched.</summary>
    public required Dataset Data { get; init; }

    /// <summary>
    /// Makes a fresh, untrained model. The checks seed torch (<see cref="Seeding.Apply"/>) right before each
    /// call, so two calls after the same seed must give identical weights (randomness from torch only).
    /// </summary>
    public required Func<nn.Module<Tensor, Tensor>> CreateModel { get; init; }

    /// <summary>The same model with a little more capacity, for loss-decreases; null skips that half of the check.</summary>
    public Func<nn.Module<Tensor, Tensor>>? CreateLargerModel { get; init; }

    /// <summary>The training loss: output and targets of a batch in, the mean over the batch out.</summary>
    public required LossFunction Loss { get; init; }

    /// <summary>A batch of stored inputs (as in <see cref="DataSplit.Inputs"/>) → the exact tensor that enters model(x).</summary>
    public required Func<Tensor, Tensor> Transform { get; init; }

    /// <summary>Optional: model input → images in [0, 1] (N, C, H, W), to picture what the net sees as a person would.</summary>
    public Func<Tensor, Tensor>? InverseTransform { get; init; }

    /// <summary>Optional augmentation of training batches (stored inputs and targets), applied before the transform.</summary>
    public Augmentation? Augment { get; init; }

    /// <summary>The optimizer and learning-rate schedule for a fresh model.</summary>
    public required OptimizerFactory CreateOptimizer { get; init; }

    /// <summary>Batch size, epochs and seed of the real training run (the checks' short runs reuse the batch size and seed).</summary>
    public TrainingConfig Training { get; init; } = new();

    /// <summary>Regression only: how <see cref="Data"/>'s targets were standardized (null = as stored), to report metrics in the original units.</summary>
    public TargetScale? TargetScale { get; init; }

    /// <summary>Pretrained weights: the input normalization they were trained with, which the transform must reproduce (inputs-at-the-door).</summary>
    public Interop.InputNormalization? PretrainedInput { get; init; }

    /// <summary>One line naming the parts, for reports.</summary>
    public string Description { get; init; } = "custom pipeline";

    /// <summary>
    /// The named values this pipeline was built from (width, depth, learning rate, dropout…). Stage 3 and later stages
    /// vary them, one change at a time, through <see cref="WithKnobs"/>; a pipeline without knobs is checked but not varied.
    /// </summary>
    public KnobValues Knobs { get; init; } = KnobValues.None;

    /// <summary>Builds the same pipeline from other knob values; null when the pipeline declares no knobs.</summary>
    public Func<KnobValues, Pipeline>? Rebuild { get; init; }

    /// <summary>
    /// A pipeline built from its knobs: <paramref name="build"/> makes the parts from the values, and the result
    /// remembers both, so a stage can rebuild it with one knob changed.
    /// </summary>
    public static Pipeline FromKnobs(KnobValues knobs, Func<KnobValues, Pipeline> build) =>
        build(knobs) with { Knobs = knobs, Rebuild = build };

    /// <summary>This pipeline rebuilt with some knobs changed; a knob it does not declare is an <see cref="UnknownKnobException"/>.</summary>
    public Pipeline WithKnobs(IReadOnlyDictionary<string, string> changes)
    {
        if (Rebuild is null)
            throw new UnknownKnobException($"the pipeline declares no knobs, so '{string.Join("', '", changes.Keys)}' cannot be changed " +
                                           "(build it with Pipeline.FromKnobs to let the recipe vary it)");
        return FromKnobs(Knobs.With(changes), Rebuild);
    }

    /// <summary>The training loop's context for a model of this pipeline: its loss, input transform and augmentation.</summary>
    public TrainingContext ContextFor(nn.Module<Tensor, Tensor> model, OptimizerSetup setup, InputNormalizer normalizer, TrainingConfig config) =>
        new(model, Data, normalizer, setup.Optimizer, config) { Loss = Loss, Transform = Transform, Augment = Augment };

    /// <summary>The real run's length in optimizer steps.</summary>
    public TrainingPlan Plan
    {
        get
        {
            int perEpoch = (Data.Train.Count + Training.BatchSize - 1) / Training.BatchSize;
            int total = perEpoch * Training.Epochs;
            if (Training.MaxSteps is { } max) total = Math.Min(total, max);
            return new TrainingPlan(perEpoch, Training.Epochs, total);
        }
    }

    /// <summary>
    /// Recipe's own pipeline for the data: the default model of <see cref="ModelFactory"/> (or <paramref name="model"/>)
    /// with its final bias set from the training targets, the task's standard loss, <paramref name="normalizer"/>
    /// (the caller keeps ownership), no augmentation, and Adam at a constant learning rate. Its knobs
    /// (<see cref="DefaultKnobs"/>) add dropout, decoupled weight decay, an image augmentation and the batch size. Regression targets are
    /// standardized with the training split's mean and std (<see cref="TargetScale"/>): the pipeline's
    /// <see cref="Data"/> is then a view of <paramref name="data"/> with scaled targets, which the caller disposes
    /// when it is not <paramref name="data"/> itself.
    /// </summary>
    public static Pipeline Default(Dataset data, InputNormalizer normalizer, string? model = null, TrainingConfig? training = null)
    {
        var scale = data.Task == TaskKind.Regression ? TargetScale.FitTo(data.Train) : null;
        if (scale is not null) data = scale.Standardize(data);
        var name = model ?? ModelFactory.DefaultFor(data);
        training ??= new TrainingConfig();
        var knobs = new KnobValues([
            new Knob(DefaultKnobs.Model, name, "architecture from the zoo"),
            new Knob(DefaultKnobs.Width, ModelFactory.DefaultWidth(name).ToString(System.Globalization.CultureInfo.InvariantCulture), "hidden units, filters or channels (0: none)"),
            new Knob(DefaultKnobs.Depth, ModelFactory.DefaultDepth(name).ToString(System.Globalization.CultureInfo.InvariantCulture), "hidden layers or blocks"),
            new Knob(DefaultKnobs.LearningRate, KnobValues.Text(training.LearningRate), "Adam's learning rate, constant"),
            new Knob(DefaultKnobs.Dropout, "0", "dropout probability (dropout2d between conv blocks; embedding/residual dropout for sequences)"),
            new Knob(DefaultKnobs.WeightDecay, "0", "decoupled (AdamW) weight decay on weights, not biases or norms"),
            new Knob(DefaultKnobs.Augment, DefaultKnobs.AugmentOff, $"training augmentation: {string.Join(", ", DefaultKnobs.AugmentationsFor(data))}"),
            new Knob(DefaultKnobs.Batch, training.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "examples per step"),
            new Knob(DefaultKnobs.Input, DefaultKnobs.InputFull, $"input size: {string.Join(", ", DefaultKnobs.InputSizesFor(data))} " +
                                                                 "(half: 2×2 average pooling of an image; a table's most informative half of its columns)"),
        ]);
        var scaled = data;
        return FromKnobs(knobs, values => Built(scaled, normalizer, scale, values, training));
    }

    /// <summary>Recipe's own pipeline from its knob values: the data (already standardized for regression) is shared by every rebuild.</summary>
    static Pipeline Built(Dataset data, InputNormalizer normalizer, TargetScale? scale, KnobValues knobs, TrainingConfig training)
    {
        var choice = new ModelChoice(knobs[DefaultKnobs.Model], knobs.Int(DefaultKnobs.Width), knobs.Int(DefaultKnobs.Depth));
        double rate = knobs.Double(DefaultKnobs.LearningRate);
        if (!ModelFactory.Names.Contains(choice.Name))
            throw new UnknownKnobException($"knob model: '{choice.Name}' is not a model; models: {string.Join(", ", ModelFactory.Names)}");
        if (!double.IsFinite(rate) || rate <= 0) throw new UnknownKnobException($"knob lr: expected a positive learning rate, found {knobs[DefaultKnobs.LearningRate]}");
        var regularizers = DefaultKnobs.RegularizersOf(knobs, data);
        int downsample = regularizers.Downsample;
        var transform = InputTransform(data, normalizer, regularizers);
        var config = ConfigFor(training, rate, regularizers.Batch);
        Func<nn.Module<Tensor, Tensor>> Factory(ModelChoice rung) => () =>
        {
            var created = ModelFactory.Create(rung, data, regularizers.Dropout, downsample);
            if (created is IHasOutputLayer withOutput) FinalLayerInit.FromTargets(withOutput, data);
            return created;
        };
        int width = choice.Width;
        double decay = regularizers.WeightDecay;
        return new Pipeline
        {
            Data = data,
            CreateModel = Factory(choice),
            CreateLargerModel = width > 0 ? Factory(choice with { Width = width + width / 2 }) : null, // a little more capacity: 1.5× the width
            Loss = (output, targets) => Losses.For(data.Task, output, targets),
            Transform = transform,
            InverseTransform = normalizer.Mean is null ? null : normalizer.Invert,
            Augment = regularizers.Augmentation,
            CreateOptimizer = (parameters, _) => new OptimizerSetup(decay > 0 ? FusedAdam.AdamW(parameters, config.LearningRate, decay) : new FusedAdam(parameters, config.LearningRate)),
            Training = config,
            TargetScale = scale,
            Description = $"{choice} (final bias from the training targets), {LossName(data.Task)}{(scale is null ? "" : " on standardized targets")}, " +
                          $"{(decay > 0 ? "AdamW" : "Adam")} lr {config.LearningRate} constant, batch {config.BatchSize}, " +
                          (config.EvaluateEverySteps is null ? $"{config.Epochs} epochs" : $"until validation stops improving (at most {config.MaxSteps} steps)") +
                          ", " + regularizers.Describe(choice.Name, data.ExampleShape),
        };
    }

    /// <summary>What enters the model from stored inputs: normalized, then an image averaged over blocks or a table's dropped columns read as 0.</summary>
    static Func<Tensor, Tensor> InputTransform(Dataset data, InputNormalizer normalizer, Regularizers regularizers)
    {
        int downsample = regularizers.Downsample;
        if (downsample > 1)
            return stored =>
            {
                using var normalized = normalizer.Apply(stored);
                return InputDownsampling.Apply(normalized, downsample);
            };
        if (regularizers.DroppedColumns.Count == 0) return normalizer.Apply;
        var mask = tensor(ColumnScreening.FeatureMask(data.Table!, regularizers.DroppedColumns.ToHashSet())); // lives as long as the pipeline
        return stored =>
        {
            using var normalized = normalizer.Apply(stored);
            return normalized.mul(mask);
        };
    }

    /// <summary>
    /// The training run at the knobs' learning rate and batch size. A batch other than the planned one keeps the plan's
    /// examples (steps and validation interval scaled by the batch ratio), so a batch-size experiment compares the same
    /// passes over the data rather than the same number of steps.
    /// </summary>
    static TrainingConfig ConfigFor(TrainingConfig training, double rate, int batch)
    {
        var config = training with { LearningRate = rate, BatchSize = batch };
        if (batch == training.BatchSize) return config;
        double ratio = training.BatchSize / (double)batch;
        int Scaled(int steps) => Math.Max(1, (int)Math.Ceiling(steps * ratio));
        return config with
        {
            MaxSteps = training.MaxSteps is { } max ? Scaled(max) : null,
            EvaluateEverySteps = training.EvaluateEverySteps is { } every ? Scaled(every) : null,
        };
    }

    static string LossName(TaskKind task) => task switch
    {
        TaskKind.Regression => "mean squared error",
        TaskKind.Sequence => "per-token cross-entropy",
        _ => "cross-entropy",
    };
}

/// <summary>The knobs of Recipe's own pipelines (<see cref="Pipeline.Default"/>).</summary>
public static class DefaultKnobs
{
    public const string Model = "model";
    public const string Width = "width";
    public const string Depth = "depth";
    public const string LearningRate = "lr";
    /// <summary>Dropout probability in [0, 1), "0" by default; where each model puts it: <see cref="ModelFactory.Create(string, Dataset, int?, int?, double, int)"/>.</summary>
    public const string Dropout = "dropout";
    /// <summary>Decoupled (AdamW) weight decay, "0" by default; biases and norm parameters are not decayed (<see cref="FusedAdam.AdamW"/>).</summary>
    public const string WeightDecay = "weight_decay";
    /// <summary>Training augmentation by name: "off" (the default, and the only value for tables and text), for images "shift" or "shift+flip".</summary>
    public const string Augment = "augment";
    /// <summary>Examples per step; the default is the planned run's batch size.</summary>
    public const string Batch = "batch";

    /// <summary>The image's size at the model's door: "full" (the default, and the only value for tables and text) or "half" (2×2 average pooling).</summary>
    public const string Input = "input";

    public const string AugmentOff = "off";
    public const string AugmentShift = "shift";
    public const string AugmentShiftFlip = "shift+flip";

    public const string InputFull = "full";
    public const string InputHalf = "half";

    /// <summary>The input sizes the data type accepts: an image may be halved (its pixels), a table too (its columns); a text's characters may not.</summary>
    public static IReadOnlyList<string> InputSizesFor(Dataset data) => IsImages(data) || data.Table is not null ? [InputFull, InputHalf] : [InputFull];

    /// <summary>The `input` knob's value for a downsampling factor (a card's <see cref="Interop.InputNormalization.Downsample"/>); a factor no value names stays a number, which the knob refuses.</summary>
    public static string InputSizeOf(int downsample) => downsample switch
    {
        1 => InputFull,
        2 => InputHalf,
        _ => downsample.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The downsampling factor an accepted `input` value stands for: 2 for "half", else 1.</summary>
    public static int DownsampleFactor(string input) => input == InputHalf ? 2 : 1;

    static bool IsImages(Dataset data) => data.ExampleShape.Length == 3 && data.Task != TaskKind.Sequence;

    static string KindOf(Dataset data) => data.Task == TaskKind.Sequence ? "text" : IsImages(data) ? "images" : "tables";

    /// <summary>The augmentation names the data type accepts: for images small shifts (and flips); for tables and text none.</summary>
    public static IReadOnlyList<string> AugmentationsFor(Dataset data) =>
        IsImages(data) ? [AugmentOff, AugmentShift, AugmentShiftFlip] : [AugmentOff];

    /// <summary>
    /// True when the knobs put dropout into a model with batch norm (vgg, resnet): the batch norms after a dropout see
    /// different statistics in training and eval mode, so a stage trying dropout there should say so.
    /// </summary>
    public static bool MixesDropoutWithBatchNorm(KnobValues knobs) =>
        knobs.Declares(Model) && knobs.Declares(Dropout) && ModelFactory.UsesBatchNorm(knobs[Model]) &&
        double.TryParse(knobs[Dropout], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) && p > 0;

    /// <summary>The regularization knobs read and checked: one clear <see cref="UnknownKnobException"/> for a value they cannot take.</summary>
    internal static Regularizers RegularizersOf(KnobValues knobs, Dataset data)
    {
        double dropout = Number(knobs, Dropout, "a probability in [0, 1)", p => p >= 0 && p < 1);
        double decay = Number(knobs, WeightDecay, "a weight decay ≥ 0", d => d >= 0);
        string batchText = knobs[Batch];
        if (!int.TryParse(batchText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int batch) || batch < 1)
            throw new UnknownKnobException($"knob {Batch}: expected a whole number of examples ≥ 1, found '{batchText}'");
        string augment = knobs[Augment];
        var accepted = AugmentationsFor(data);
        if (!accepted.Contains(augment))
            throw new UnknownKnobException($"knob {Augment}: '{augment}' is not an augmentation for {KindOf(data)}; " +
                                           $"expected one of: {string.Join(", ", accepted)}");
        Augmentation? augmentation = augment switch
        {
            AugmentShift => ImageAugmentations.Shift(),
            AugmentShiftFlip => ImageAugmentations.Shift(flip: true),
            _ => null,
        };
        return new Regularizers(dropout, decay, augment, augmentation, batch, DownsampleOf(knobs, data), DroppedColumnsOf(knobs, data));
    }

    /// <summary>The `input` knob as a downsampling factor, refused when the data has no pixels or the halved image is smaller than the model takes.</summary>
    static int DownsampleOf(KnobValues knobs, Dataset data)
    {
        string input = knobs[Input];
        var accepted = InputSizesFor(data);
        if (!accepted.Contains(input))
            throw new UnknownKnobException($"knob {Input}: '{input}' is not an input size for {KindOf(data)}; expected one of: {string.Join(", ", accepted)}");
        int factor = DownsampleFactor(input);
        if (factor == 1 || !IsImages(data)) return 1; // a table's half is its columns (DroppedColumnsOf)
        var (height, width) = (data.ExampleShape[1], data.ExampleShape[2]);
        var halved = InputDownsampling.ShapeOf(data.ExampleShape, factor);
        string model = knobs[Model];
        long smallest = Math.Max(1, ModelFactory.SmallestImageSide(model));
        if (Math.Min(halved[1], halved[2]) < smallest)
            throw new UnknownKnobException($"knob {Input}: half of a {height}×{width} image is {halved[1]}×{halved[2]}, smaller than the {model} takes ({smallest}×{smallest} at least)");
        return factor;
    }

    /// <summary>Tables: the columns the `input` knob hides from the model — the weaker half for "half" (<see cref="ColumnScreening"/>) — else none.</summary>
    public static IReadOnlyList<string> DroppedColumnsOf(KnobValues knobs, Dataset data)
    {
        if (!knobs.Declares(Input) || knobs[Input] != InputHalf || data.Table is not { } table || IsImages(data)) return [];
        if (table.Features.Count < 2)
            throw new UnknownKnobException($"knob {Input}: a table of {table.Features.Count} column has no half to drop");
        return ColumnScreening.DroppedColumns(data);
    }

    /// <summary>Images: the factor the `input` knob averages them by (2 for "half"); 1 for other data and for a pipeline without the knob.</summary>
    public static int ImageDownsampleOf(KnobValues knobs, Dataset data) =>
        knobs.Declares(Input) && IsImages(data) ? DownsampleFactor(knobs[Input]) : 1;

    static double Number(KnobValues knobs, string name, string expected, Func<double, bool> valid)
    {
        string text = knobs[name];
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) || !valid(value))
            throw new UnknownKnobException($"knob {name}: expected {expected}, found '{text}'");
        return value;
    }
}

/// <summary>The regularization knobs of a <see cref="Pipeline.Default"/> pipeline, parsed.</summary>
/// <param name="DroppedColumns">Tables: the columns `input half` hides from the model (<see cref="ColumnScreening"/>); empty for none.</param>
internal sealed record Regularizers(double Dropout, double WeightDecay, string AugmentName, Augmentation? Augmentation, int Batch, int Downsample,
    IReadOnlyList<string> DroppedColumns)
{
    /// <summary>"dropout 0.2 (with batch norm: …), AdamW weight decay 0.0001, augmentation shift[, input halved …]" for the pipeline's description.</summary>
    public string Describe(string model, long[] exampleShape)
    {
        string dropout = Dropout > 0 ? $"dropout {KnobValues.Text(Dropout)}" : "no dropout";
        if (Dropout > 0 && ModelFactory.UsesBatchNorm(model)) dropout += " (mixed with batch norm: its statistics differ between training and eval)";
        string decay = WeightDecay > 0 ? $"AdamW weight decay {KnobValues.Text(WeightDecay)} (not on biases or norms)" : "no weight decay";
        string augment = Augmentation is null ? "no augmentation" : $"augmentation {AugmentName}";
        if (DroppedColumns.Count > 0) return $"{dropout}, {decay}, {augment}, input without the {DroppedColumns.Count} columns that explain least of the target alone ({string.Join(", ", DroppedColumns)})";
        if (Downsample == 1) return $"{dropout}, {decay}, {augment}";
        var smaller = InputDownsampling.ShapeOf(exampleShape, Downsample);
        return $"{dropout}, {decay}, {augment}, input {exampleShape[1]}×{exampleShape[2]} → {smaller[1]}×{smaller[2]} ({Downsample}×{Downsample} average pooling)";
    }
}
