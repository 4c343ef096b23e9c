using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class AugmentationConsistencyTests
{
    /// <summary>Flips a random half of the batch left-right; optionally swaps the left/right label with it.</summary>
    static Augmentation HorizontalFlip(bool flipLabels) => (inputs, targets) =>
    {
        var flip = rand(inputs.shape[0]).lt(0.5);                               // torch's generator: seeded
        var flipped = where(flip.reshape(-1, 1, 1, 1), inputs.flip(3), inputs);
        var labels = flipLabels ? where(flip, targets.neg().add(1), targets) : targets;
        return (flipped, labels);
    };

    static Pipeline OrientationPipeline(Augmentation augment)
    {
        var data = CheckTestData.Orientation();
        var normalizer = InputNormalizer.FitTo(data);
        return Pipeline.Default(data, normalizer, "mlp") with { Augment = augment };
    }

    [Fact]
    public void Given_a_flip_that_flips_the_left_right_label_too_When_checked_Then_it_passes()
    {
        CheckAssert.Verdict(Verdict.Pass, new AugmentationConsistency(), OrientationPipeline(HorizontalFlip(flipLabels: true)));
    }

    [Fact]
    public void Given_an_image_flipped_without_its_label_When_checked_Then_it_fails()
    {
        var result = CheckAssert.Verdict(Verdict.Fail, new AugmentationConsistency(), OrientationPipeline(HorizontalFlip(flipLabels: false)));
        Assert.True(result.Evidence["agreement_augmented"] < 0.2);
        Assert.Single(result.Evidence.Pictures);
    }

    [Fact]
    public void Given_a_flip_of_clothes_whose_labels_do_not_depend_on_orientation_When_checked_Then_there_is_no_false_alarm()
    {
        var pipeline = CheckTestData.FashionPipeline() with { Augment = HorizontalFlip(flipLabels: false) };
        CheckAssert.NoAlarm(new AugmentationConsistency(), pipeline);
    }

    [Fact]
    public void Given_no_augmentation_When_checked_Then_it_is_skipped()
    {
        CheckAssert.Verdict(Verdict.Skipped, new AugmentationConsistency(), CheckTestData.FashionPipeline());
    }
}

/// <summary>
/// Four classes, where a left-right flip breaks two labels and keeps two: the agreement ratio cannot tell that flip from a
/// harmless shift; the swap analysis (one class's augmented examples predicted as one other class, beyond the controls) can.
/// </summary>
public class AugmentationConsistencyFourClassTests
{
    /// <summary>Flips a random half of each batch left-right; with <paramref name="swapLabels"/>, left and right labels follow.</summary>
    static Augmentation Flip(bool swapLabels) => (inputs, targets) =>
    {
        var flip = rand(inputs.shape[0]).lt(0.5);
        var flipped = where(flip.reshape(-1, 1, 1, 1), inputs.flip(3), inputs);
        var swapped = where(targets.eq(0), ones_like(targets), where(targets.eq(1), zeros_like(targets), targets));
        return (flipped, swapLabels ? where(flip, swapped, targets) : targets);
    };

    /// <summary>The whole batch flipped, or not, on one coin per batch; labels never follow.</summary>
    static Augmentation FlipWholeBatchSometimes() => (inputs, targets) =>
        rand(1).item<float>() < 0.5 ? (inputs.flip(3), targets) : (inputs, targets);

    /// <summary>Pad by one pixel, crop back at a random offset: every bar stays on its side, the labels stay true.</summary>
    static Augmentation PadAndCrop() => (inputs, targets) =>
    {
        var padded = nn.functional.pad(inputs.to_type(float32), [1, 1, 1, 1]);
        var offsets = randint(0, 3, [inputs.shape[0], 2]);
        var rows = Enumerable.Range(0, (int)inputs.shape[0]).Select(i =>
            padded[i].narrow(1, offsets[i, 0].item<long>(), inputs.shape[2]).narrow(2, offsets[i, 1].item<long>(), inputs.shape[3]));
        return (stack(rows.ToArray()).to_type(inputs.dtype), targets);
    };

    static Pipeline FourSides(Augmentation augment) => ShapeTestData.ImagePipeline(ShapeTestData.FourSides()) with { Augment = augment };

    [Fact]
    public void Given_a_flip_that_swaps_the_left_and_right_labels_with_it_When_checked_Then_it_passes()
    {
        CheckAssert.Verdict(Verdict.Pass, new AugmentationConsistency(), FourSides(Flip(swapLabels: true)));
    }

    [Fact]
    public void Given_a_flip_that_leaves_left_and_right_labels_as_they_were_When_checked_Then_the_swap_fails_it()
    {
        var result = CheckAssert.Verdict(Verdict.Fail, new AugmentationConsistency(), FourSides(Flip(swapLabels: false)));

        Assert.True(result.Evidence["largest_swap_beyond_controls"] > AugmentationConsistency.NoSystematicSwap.Threshold);
        Assert.Contains("predicted as", result.Finding);
    }

    [Fact]
    public void Given_a_label_breaking_flip_decided_by_one_coin_per_batch_When_checked_Then_several_draws_catch_it()
    {
        CheckAssert.Verdict(Verdict.Fail, new AugmentationConsistency(), FourSides(FlipWholeBatchSometimes()));
    }

    [Fact]
    public void Given_a_harmless_pad_and_crop_When_checked_Then_there_is_no_false_alarm()
    {
        var result = CheckAssert.NoAlarm(new AugmentationConsistency(), FourSides(PadAndCrop()));

        Assert.True(result.Evidence["largest_swap_beyond_controls"] <= AugmentationConsistency.NoSystematicSwap.Threshold);
    }

    [Fact]
    public void Given_image_regression_with_float_targets_and_a_noise_augmentation_When_checked_Then_it_runs_and_raises_no_alarm()
    {
        Augmentation noise = (inputs, targets) => (inputs.to_type(float32).add(randn(inputs.shape).mul(5)).clamp(0, 255).to_type(inputs.dtype), targets);
        var pipeline = ShapeTestData.ImagePipeline(ShapeTestData.BarColumn()) with { Augment = noise };

        CheckAssert.NoAlarm(new AugmentationConsistency(), pipeline);
    }

    [Fact]
    public void Given_image_regression_whose_augmentation_shifts_the_bar_but_not_its_column_When_checked_Then_it_fails()
    {
        // The target is the bar's column: rolling the image by three columns moves the bar, the label stays: broken.
        Augmentation roll = (inputs, targets) => (inputs.roll(3, 3), targets);
        var pipeline = ShapeTestData.ImagePipeline(ShapeTestData.BarColumn()) with { Augment = roll };

        CheckAssert.Verdict(Verdict.Fail, new AugmentationConsistency(), pipeline);
    }
}

/// <summary>
/// Text has no classes to swap: the judge's agreement with the augmented targets is placed between its agreement with the
/// same targets shuffled across lines (0) and with the clean targets (1).
/// </summary>
public class AugmentationConsistencyTextTests
{
    static long Vocabulary => CheckTestData.Words.Vocabulary!.Size;

    [Fact]
    public void Given_text_whose_augmentation_replaces_a_tenth_of_the_input_characters_When_checked_Then_there_is_no_false_alarm()
    {
        // Token noise on the inputs only: each target is still the next character of the line
        Augmentation noise = (inputs, targets) =>
        {
            var replace = rand(inputs.shape).lt(0.1).logical_and(inputs.gt(0));
            return (where(replace, randint(1, Vocabulary, inputs.shape, dtype: inputs.dtype), inputs), targets);
        };
        var result = CheckAssert.NoAlarm(new AugmentationConsistency(), CheckTestData.WordsPipeline() with { Augment = noise });

        Assert.True(result.Evidence["agreement_on_scale"] >= AugmentationConsistency.LabelsStillTrue.Threshold);
    }

    [Fact]
    public void Given_text_whose_augmentation_shifts_the_inputs_one_step_but_not_the_targets_When_checked_Then_it_fails()
    {
        // The input at t becomes the character before the one it was: the target at t is now two characters ahead
        Augmentation shift = (inputs, targets) =>
            (cat([zeros(inputs.shape[0], 1, dtype: inputs.dtype), inputs.narrow(1, 0, inputs.shape[1] - 1)], 1), targets);
        var result = CheckAssert.Verdict(Verdict.Fail, new AugmentationConsistency(), CheckTestData.WordsPipeline() with { Augment = shift });

        Assert.True(result.Evidence["agreement_on_scale"] < AugmentationConsistency.LabelsStillTrue.Threshold);
    }
}

/// <summary>The swap analysis on predictions made up to show each case: a swap, a sink, a spread.</summary>
public class SwapAnalysisTests
{
    static SwapAnalysis Of(int[] labels, int[] clean, int[] augmented, int classes = 4) =>
        SwapAnalysis.Of(labels.Select(v => (double)v).ToArray(), clean.Select(v => (double)v).ToArray(), augmented.Select(v => (double)v).ToArray(), classes, minimum: 5);

    static int[] Repeat(params (int Value, int Count)[] runs) => runs.SelectMany(r => Enumerable.Repeat(r.Value, r.Count)).ToArray();

    [Fact]
    public void Given_left_and_right_predicted_as_each_other_When_analysed_Then_the_swap_is_near_one()
    {
        var labels = Repeat((0, 10), (1, 10), (2, 10));
        var swap = Of(labels, clean: labels, augmented: Repeat((1, 10), (0, 10), (2, 10)));
        Assert.Equal(1.0, swap.Score, 3);
        Assert.Contains(swap.Worst!.Label, new[] { 0, 1 });
    }

    [Fact]
    public void Given_every_class_pulled_to_one_sink_When_analysed_Then_the_sink_control_explains_it()
    {
        var labels = Repeat((0, 10), (1, 10), (2, 10));
        var swap = Of(labels, clean: labels, augmented: Repeat((2, 30)));
        Assert.True(swap.Score <= 0.0 + 1e-9, $"score {swap.Score}");
    }

    [Fact]
    public void Given_predictions_spread_over_the_other_classes_When_analysed_Then_no_class_is_swapped()
    {
        var labels = Repeat((0, 12), (1, 12));
        var spread = Repeat((0, 4), (1, 0), (2, 4), (3, 4), (1, 4), (2, 4), (3, 4));
        var swap = Of(labels, clean: labels, augmented: spread);
        Assert.True(swap.Score < AugmentationConsistency.NoSystematicSwap.Threshold, $"score {swap.Score}");
    }

    [Fact]
    public void Given_a_confusion_already_there_on_the_clean_examples_When_analysed_Then_the_clean_control_explains_it()
    {
        var labels = Repeat((0, 10), (1, 10));
        var swap = Of(labels, clean: Repeat((1, 8), (0, 2), (1, 10)), augmented: Repeat((1, 8), (0, 2), (1, 10)), classes: 2);
        Assert.True(swap.Score < AugmentationConsistency.NoSystematicSwap.Threshold, $"score {swap.Score}");
    }
}
