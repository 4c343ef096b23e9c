using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Models;
using Recipe.Tests.Checks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

/// <summary>The VGG-style CNN with batch norm passes stage 2's checks on a Fashion-MNIST subset (4 filters, 2 stages).</summary>
public class VggBnTests
{
    static Pipeline Fashion(double learningRate = 3e-3) =>
        ZooPipelines.For(CheckTestData.FashionMnist, CheckTestData.FashionNormalizer, "vgg", width: 4, depth: 2, learningRate);

    [Fact]
    public void Given_the_vgg_model_When_its_loss_at_init_is_checked_Then_it_passes() =>
        CheckAssert.Verdict(Verdict.Pass, new LossAtInit(), Fashion());

    [Fact]
    public void Given_the_vgg_model_When_its_final_bias_is_checked_Then_it_predicts_the_prior() =>
        CheckAssert.Verdict(Verdict.Pass, new InitFinalBias(), Fashion());

    [Fact]
    public void Given_the_vgg_model_When_it_overfits_four_images_Then_it_passes() =>
        CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), Fashion(ZooPipelines.OverfitLearningRate));

    [Fact]
    public void Given_the_vgg_model_in_eval_mode_When_its_batch_is_probed_Then_no_image_reads_another() =>
        CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), Fashion());

    [Fact]
    public void Given_the_vgg_model_in_training_mode_When_an_other_image_changes_Then_the_output_moves()
    {
        // Why batch-independence probes in eval mode: batch norm in training mode mixes the batch on purpose.
        manual_seed(2);
        using var model = new VggBn(1, 8, 8, outputs: 3, filters: 4, stages: 2);
        model.train();
        using var x = randn(4, 1, 8, 8);
        using var changed = x.clone();
        changed[1] = randn(1, 8, 8);
        using var noGrad = no_grad();
        Assert.True((model.call(changed)[0] - model.call(x)[0]).abs().max().item<float>() > 0);
        model.eval();
        Assert.Equal(0f, (model.call(changed)[0] - model.call(x)[0]).abs().max().item<float>());
    }

    [Theory]
    [InlineData(1, 28, 3, 3)] // Fashion-MNIST: 28 → 14 → 7 → 3
    [InlineData(3, 8, 5, 3)]  // three pools of 8 × 8 leave 1 × 1; stages 4 and 5 convolve without pooling
    [InlineData(3, 4, 3, 2)]  // 4 → 2 → 1: the third stage does not pool a 1 × 1 side
    public void Given_images_of_a_size_When_the_stages_are_built_Then_the_head_reads_the_last_stage_and_pooling_stops_at_one_pixel(int channels, int side, int stages, int pools)
    {
        using var model = new VggBn(channels, side, side, outputs: 10, filters: 4, stages: stages);
        Assert.Equal(pools, model.modules().OfType<MaxPool2d>().Count());
        Assert.Equal(2 * stages, model.modules().OfType<BatchNorm2d>().Count());
        Assert.Equal(4L << (stages - 1), model.Output.weight!.shape[1]);
        using var output = model.call(randn(2, channels, side, side));
        Assert.Equal([2L, 10L], output.shape);
    }
}
