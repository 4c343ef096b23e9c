using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Training;

public class TrainingLengthTests
{
    static DataSplit Split(params long[] exampleShape) => new("train", zeros([2, .. exampleShape]), zeros(2));

    [Fact]
    public void Given_an_mlp_When_its_work_is_counted_Then_each_weight_is_one_multiply_add_per_example()
    {
        using var model = new Mlp(4, [8], 3);
        using var train = Split(4);

        Assert.Equal(4 * 8 + 8 * 3, TrainingLength.MultiplyAddsPerExample(model, x => x, train));
    }

    [Fact]
    public void Given_a_cnn_When_its_work_is_counted_Then_every_output_pixel_of_a_convolution_counts()
    {
        using var model = new SmallCnn(1, 8, 8, 2, filters: 2); // conv 1→2 on 8×8, pool, conv 2→4 on 4×4, pool, 16→16→2
        using var train = Split(1, 8, 8);

        long expected = 8 * 8 * 2 * (1 * 9) + 4 * 4 * 4 * (2 * 9) + 16 * 16 + 16 * 2;
        Assert.Equal(expected, TrainingLength.MultiplyAddsPerExample(model, x => x, train));
    }

    [Fact]
    public void Given_a_cheap_model_on_a_small_table_and_a_costly_one_on_many_images_When_budgeted_Then_the_small_table_gets_far_more_epochs()
    {
        int tableSteps = TrainingLength.Steps(multiplyAddsPerExample: 1_000, batchSize: 128, trainCount: 105);
        int imageSteps = TrainingLength.Steps(multiplyAddsPerExample: 1_200_000, batchSize: 128, trainCount: 54_000);

        double tableEpochs = tableSteps / 1.0;           // 105 rows: one step per epoch
        double imageEpochs = imageSteps / (54_000 / 128.0);
        Assert.True(tableEpochs >= 300, $"{tableEpochs} epochs for the table");
        Assert.InRange(imageEpochs, 1, 3);
        int sampleSteps = TrainingLength.Steps(multiplyAddsPerExample: 1_200_000, batchSize: 128, trainCount: 5_400);
        Assert.InRange(sampleSteps / (5_400 / 128.0), imageEpochs, 15); // a tenth of the images: more passes, less compute
        Assert.Equal(TrainingLength.MaxSteps, TrainingLength.Steps(1, 128, 105)); // tiny models are bounded by steps
    }

    [Theory]
    [InlineData(105, 15, 128, 1)]     // one step per epoch: validate after every step
    [InlineData(54_000, 6_000, 128, 211)] // large: at least 157 steps apart, so twice per epoch (422 steps)
    [InlineData(1_000, 100_000, 128, 8)]  // never less often than once per epoch
    public void Given_split_sizes_When_the_validation_interval_is_chosen_Then_evaluations_stay_cheap_and_cut_each_epoch_evenly(
        int train, int validation, int batch, int expected) =>
        Assert.Equal(expected, TrainingConfig.ValidationInterval(train, validation, batch));

    [Fact]
    public void Given_the_cnn_on_54000_images_When_the_default_run_is_planned_Then_it_is_two_whole_epochs_checked_at_their_end()
    {
        var (config, budget) = TrainingLength.DefaultConfig(new TrainingConfig(), multiplyAddsPerExample: 1_218_000, trainCount: 54_000, validationCount: 6_000);

        Assert.Equal(2 * 422, budget);                  // the cost `recipe run` had before, in whole epochs
        Assert.Equal(0, budget % config.EvaluateEverySteps!.Value); // the budget is checked on a measured point
        Assert.Equal(budget * TrainingLength.MaxExtension, config.MaxSteps);
    }
}
