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

    [Fact]
    public void Given_half_an_hour_for_a_model_of_measured_speed_When_the_final_length_follows_the_time_Then_the_ceiling_is_the_steps_the_time_affords()
    {
        // Given the compute rule's ceiling of 3,376 steps and a model measured at 0.25 s per step on 54,000 images (422 steps an epoch)
        var basis = new TrainingConfig { BatchSize = 128, EvaluateEverySteps = 50, MaxSteps = 3376, Epochs = 8 };

        // When given 30 and 60 minutes
        var config = TrainingLength.ForTime(basis, TimeSpan.FromMinutes(30), secondsPerStep: 0.25, trainCount: 54_000);
        var twice = TrainingLength.ForTime(basis, TimeSpan.FromMinutes(60), secondsPerStep: 0.25, trainCount: 54_000);

        // Then: 1,800 s / 0.25 s, in whole validation intervals, is the ceiling, and twice the time twice the steps
        Assert.Equal(7200, config.MaxSteps);
        Assert.True(config.Epochs * 422 >= 7200, $"{config.Epochs} epochs");
        Assert.Equal(14400, twice.MaxSteps);
    }

    [Fact]
    public void Given_less_time_than_the_compute_rule_allows_or_a_tiny_model_When_the_final_length_follows_the_time_Then_the_ceiling_stays_bounded()
    {
        var basis = new TrainingConfig { BatchSize = 128, EvaluateEverySteps = 50, MaxSteps = 3376, Epochs = 8 };

        var little = TrainingLength.ForTime(basis, TimeSpan.FromMinutes(1), secondsPerStep: 0.25, trainCount: 54_000);
        var tiny = TrainingLength.ForTime(basis, TimeSpan.FromHours(1), secondsPerStep: 1e-5, trainCount: 54_000);

        Assert.Equal(basis, little); // the wall clock, not a shorter ceiling, stops it
        Assert.Equal(TrainingLength.MaxSteps * TrainingLength.MaxExtension, tiny.MaxSteps);
    }
}
