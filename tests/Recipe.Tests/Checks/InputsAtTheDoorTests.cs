using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class InputsAtTheDoorTests
{
    [Fact]
    public void Given_inputs_normalized_with_this_datas_training_statistics_When_checked_Then_it_passes_with_pictures()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), CheckTestData.FashionPipeline());
        Assert.InRange(result.Evidence["mean"], -0.15, 0.15);
        Assert.InRange(result.Evidence["std"], 0.8, 1.2);
        Assert.True(result.Evidence.Pictures.Count >= 3, "histogram, the model input, and the decoded images");
    }

    [Theory]
    [InlineData(0.485, 0.229)]          // ImageNet's red-channel statistics, as used with "pretrained" weights
    [InlineData(72.94, 90.02)]          // Fashion-MNIST's statistics on the 0–255 scale, applied to 0–1 pixels
    public void Given_the_wrong_normalization_mean_When_checked_Then_it_fails(double mean, double std)
    {
        var broken = CheckTestData.FashionPipeline() with
        {
            Transform = stored => stored.to_type(float32).div(255f).sub(mean).div(std),
        };
        var result = CheckAssert.Verdict(Verdict.Fail, new InputsAtTheDoor(), broken);
        Assert.True(Math.Abs(result.Evidence["largest_abs_channel_mean"]) > InputsAtTheDoor.Centered.Threshold);
    }

    [Fact]
    public void Given_dark_pixels_mapped_onto_minus_one_to_one_When_checked_Then_it_raises_no_failure()
    {
        const double divisor = 127.5, offset = 1; // x / 127.5 - 1, the GAN and tutorial convention
        // Given: dark images (Fashion-MNIST at half brightness) scaled to a range: far off centre for x/127.5 - 1 (mean about
        // -0.71, past the 0.5 that standardized inputs are held to), yet every value in [-1, 1] and the full spread kept
        using var dark = CheckTestData.WithSplits(CheckTestData.FashionMnist, split => (split.Inputs.div(2, rounding_mode: RoundingMode.floor), split.Targets.alias()));
        var scaled = CheckTestData.FashionPipeline() with { Data = dark, Transform = stored => stored.to_type(float32).div(divisor).sub(offset) };

        var result = CheckAssert.Run(new InputsAtTheDoor(), scaled);

        // Then: at most a warning, where the wrong statistics above (values pushed out of [-1, 1], or collapsed) fail
        Assert.NotEqual(Verdict.Fail, result.Verdict);
        Assert.True(result.Evidence["max"] <= 1 && result.Evidence["min"] >= -1);
    }

    [Fact]
    public void Given_text_When_checked_Then_the_sequences_are_decoded_and_it_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), CheckTestData.WordsPipeline());
        Assert.Contains(result.Evidence.Tables, t => t.Rows.Count > 0 && t.Rows[0][0].StartsWith('\u2400'));
    }
}

/// <summary>Inputs at the door in the shapes user pipelines take: flattened images, one-hot text, a table with a feature lost.</summary>
public class InputsAtTheDoorShapeTests
{
    [Fact]
    public void Given_images_flattened_for_an_MLP_and_normalized_When_checked_Then_they_are_judged_per_channel_and_pass()
    {
        var pipeline = CheckTestData.FashionPipeline() with { Transform = stored => CheckTestData.FashionNormalizer.Apply(stored).flatten(1) };

        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), pipeline);

        Assert.Contains(result.Evidence.Notes, n => n.Contains("per stored channel"));
        Assert.True(result.Evidence.Pictures.Count >= 2, "the flattened input is pictured in the stored image shape");
    }

    [Fact]
    public void Given_flattened_images_with_another_datasets_mean_When_checked_Then_it_fails()
    {
        var pipeline = CheckTestData.FashionPipeline() with { Transform = stored => stored.to_type(float32).div(255f).sub(0.485f).div(0.229f).flatten(1) };

        var result = CheckAssert.Verdict(Verdict.Fail, new InputsAtTheDoor(), pipeline);

        Assert.True(result.Evidence["largest_abs_channel_mean"] > InputsAtTheDoor.Centered.Threshold);
    }

    [Fact]
    public void Given_text_as_one_hot_vectors_When_checked_Then_it_is_an_indicator_encoding_and_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), ShapeTestData.OneHotWords());

        Assert.Contains(result.Evidence.Notes, n => n.Contains("indicator encoding"));
    }

    [Fact]
    public void Given_text_whose_token_ids_enter_the_model_as_standardized_numbers_When_checked_Then_they_are_judged_as_one_channel_and_pass()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), ShapeTestData.IdsAsNumbers(standardized: true));

        Assert.Contains(result.Evidence.Notes, n => n.Contains("one channel"));
    }

    [Fact]
    public void Given_text_whose_token_ids_enter_the_model_as_raw_numbers_When_checked_Then_it_fails()
    {
        var result = CheckAssert.Verdict(Verdict.Fail, new InputsAtTheDoor(), ShapeTestData.IdsAsNumbers(standardized: false));

        Assert.True(result.Evidence["largest_abs_channel_mean"] > InputsAtTheDoor.Centered.Threshold);
    }

    static Pipeline Table(Func<Tensor, Tensor> transform)
    {
        var data = CheckTestData.OffsetRegression();
        return Pipeline.Default(data, Recipe.Data.InputNormalizer.Identity(), "mlp") with { Transform = transform };
    }

    [Fact]
    public void Given_a_table_whose_transform_keeps_every_feature_When_checked_Then_no_feature_is_lost()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new InputsAtTheDoor(), Table(stored => stored.to_type(float32).mul(1f)));

        Assert.Equal(0, result.Evidence["features_constant_at_the_door"]);
        Assert.Equal(8, result.Evidence["stored_features_checked"]);
    }

    [Fact]
    public void Given_a_table_whose_transform_zeroes_one_feature_When_checked_Then_it_fails_naming_that_feature()
    {
        using var mask = ones(8);
        mask[3] = 0;
        var result = CheckAssert.Verdict(Verdict.Fail, new InputsAtTheDoor(), Table(stored => stored.to_type(float32).mul(mask)));

        Assert.Equal(1, result.Evidence["features_constant_at_the_door"]);
        Assert.Contains("#3", result.Finding);
        Assert.Equal(Verdict.Fail, Assert.Single(result.Evidence.Conditions, c => c.Title == InputsAtTheDoor.NoFeatureLost.Title).Verdict);
    }

    [Fact]
    public void Given_a_table_min_max_scaled_into_0_to_1_When_checked_Then_it_raises_no_alarm()
    {
        var stored = CheckTestData.OffsetRegression().Train.Inputs;
        var low = stored.amin([0]);
        var range = stored.amax([0]).sub(low);
        var result = CheckAssert.NoAlarm(new InputsAtTheDoor(), Table(x => x.to_type(float32).sub(low).div(range).clamp(0, 1)));

        Assert.Contains(result.Evidence.Notes, n => n.Contains("within [-1, 1]"));
    }

    [Fact]
    public void Given_a_table_left_on_its_raw_scale_When_checked_Then_it_fails()
    {
        CheckAssert.Verdict(Verdict.Fail, new InputsAtTheDoor(), Table(x => x.to_type(float32).mul(300).add(750)));
    }
}
