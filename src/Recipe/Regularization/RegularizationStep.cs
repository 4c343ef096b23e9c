using System.Globalization;
using Recipe.Checks;

namespace Recipe.Regularization;

/// <summary>
/// One rung of stage 4's ladder: the knob it changes and the value it tries, worked out from the current best pipeline's
/// knobs (half the batch, half the width…). <see cref="Next"/> returns null when the step cannot apply (a width of 1
/// cannot be halved, the value is already the current one); the reason is <see cref="NotApplicable"/>.
/// </summary>
/// <param name="Kind">"augmentation", "weight-decay", "dropout", "batch", "smaller-input", "smaller-model", "larger-model".</param>
public sealed record RegularizationStep(string Kind, string Knob, Func<KnobValues, string?> Next, string Rationale, string NotApplicable = "it does not apply to the current value")
{
    /// <summary>Tries <paramref name="value"/> unless the knob already has it.</summary>
    public static RegularizationStep Set(string kind, string knob, string value, string rationale) =>
        new(kind, knob, knobs => knobs[knob] == value ? null : value, rationale, $"{knob} is already {value}");

    /// <summary>The recipe's ladder, in its order: augmentation, weight decay, dropout, a smaller batch, a smaller input, a smaller model, a larger model with early stopping.</summary>
    public static IReadOnlyList<RegularizationStep> Recipe { get; } =
    [
        Set("augmentation", RegularizationKnobs.Augment, "shift",
            "Small shifts show the model more of what the same label looks like: the best regularizer is more (real-looking) data."),
        Set("augmentation", RegularizationKnobs.Augment, "shift+flip",
            "Mirror images add more label-preserving variety, where the augmentation-consistency check confirms flips keep labels."),
        Set("weight-decay", RegularizationKnobs.WeightDecay, "0.1",
            "Decoupled weight decay pulls weights toward zero, which limits how sharply the model can fit the training set's noise."),
        Set("weight-decay", RegularizationKnobs.WeightDecay, "1",
            "A stronger decay: weights shrink by lr · decay per step, so at Adam's small rates a weak decay barely acts within a trial."),
        Set("dropout", RegularizationKnobs.Dropout, "0.2",
            "Dropout trains an ensemble of thinned networks, so no unit can rely on a few co-adapted others to memorise examples."),
        new("batch", RegularizationKnobs.Batch, knobs => IntStep(knobs, RegularizationKnobs.Batch, b => b / 2, minimum: 1),
            "Smaller batches make noisier gradient steps, a known regularizer (at the same number of steps).", "the batch cannot be halved"),
        Set("smaller-input", RegularizationKnobs.Input, "half",
            "If low-level details don't matter much, a smaller input leaves the model less noise to memorise: an image averaged over 2×2 blocks, " +
            "a table without the half of its columns that explain least of the target on their own."),
        new("smaller-model", DefaultKnobs.Model, knobs => Models.ModelFactory.GlobalPoolingVariant(knobs[DefaultKnobs.Model]),
            "Global average pooling instead of the large fully-connected layer: the head keeps no weight per position to memorise with, " +
            "and a feature counts the same wherever it appears.", "only the small cnn has a large fully-connected head (vgg and resnet already pool)"),
        new("smaller-model", DefaultKnobs.Width, knobs => IntStep(knobs, DefaultKnobs.Width, w => w / 2, minimum: 1),
            "A narrower model has less capacity to memorise the training set.", "the width cannot be halved"),
        new("smaller-model", DefaultKnobs.Depth, knobs => IntStep(knobs, DefaultKnobs.Depth, d => d - 1, minimum: 1),
            "A shallower model has less capacity to memorise the training set.", "the depth cannot be lowered"),
        new("larger-model", DefaultKnobs.Width, knobs => IntStep(knobs, DefaultKnobs.Width, w => w * 2, minimum: 1),
            "A larger model stopped early on validation often generalises better than a small one trained to the end.", "the width is 0 (no hidden layer to widen)"),
    ];

    /// <summary>The knob's integer value moved by <paramref name="move"/>, or null when it is not a whole number, or the result is below the minimum or unchanged.</summary>
    static string? IntStep(KnobValues knobs, string knob, Func<int, int> move, int minimum)
    {
        if (!int.TryParse(knobs[knob], NumberStyles.Integer, CultureInfo.InvariantCulture, out int current) || current < minimum) return null;
        int next = move(current);
        return next < minimum || next == current ? null : next.ToString(CultureInfo.InvariantCulture);
    }
}
