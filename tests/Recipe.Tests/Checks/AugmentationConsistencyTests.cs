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
