using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Tests.Checks;

namespace Recipe.Tests.Models;

/// <summary>The zoo's small ResNet rung (4 channels first, one block per stage) passes stage 2's checks on a Fashion-MNIST subset.</summary>
public class ResNetChecksTests
{
    static Pipeline Fashion(double learningRate = 3e-3) =>
        ZooPipelines.For(CheckTestData.FashionMnist, CheckTestData.FashionNormalizer, "resnet", width: 4, depth: 1, learningRate);

    [Fact]
    public void Given_the_small_resnet_When_its_loss_at_init_is_checked_Then_it_passes() =>
        CheckAssert.Verdict(Verdict.Pass, new LossAtInit(), Fashion());

    [Fact]
    public void Given_the_small_resnet_When_its_final_bias_is_checked_Then_it_predicts_the_prior() =>
        CheckAssert.Verdict(Verdict.Pass, new InitFinalBias(), Fashion());

    [Fact]
    public void Given_the_small_resnet_When_it_overfits_four_images_Then_it_passes() =>
        CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), Fashion(ZooPipelines.OverfitLearningRate));

    [Fact]
    public void Given_the_small_resnet_in_eval_mode_When_its_batch_is_probed_Then_no_image_reads_another() =>
        CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), Fashion());
}
