using Recipe.Checks;
using Recipe.Data;
using Recipe.Tests.Regularization;
using Recipe.Tests.Support;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// The `input` knob of Recipe's own pipeline: "half" averages each normalized image over 2×2 blocks and builds every
/// image architecture for the half-size image, and shows a table's model only the half of its columns that explain most
/// of the target alone; text, a one-column table and images too small for the model once halved are one clear
/// <see cref="UnknownKnobException"/>.
/// </summary>
public class InputKnobTests
{
    static Pipeline Half(Pipeline pipeline) => pipeline.WithKnobs(new Dictionary<string, string> { [DefaultKnobs.Input] = DefaultKnobs.InputHalf });

    [Theory]
    [InlineData("linear")]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("vgg")]
    [InlineData("resnet")]
    public void Given_the_half_input_When_an_image_architecture_is_built_Then_it_takes_the_2x2_averaged_image_and_a_training_step_lowers_the_loss(string model)
    {
        using var data = SmallerInputData.Quadrants(side: 16, train: 32, validation: 32);
        using var normalizer = InputNormalizer.FitTo(data);
        var pipeline = Half(Pipeline.Default(data, normalizer, model, new TrainingConfig { LearningRate = 0.01 }));
        using var stored = data.Train.Inputs;

        using var input = pipeline.Transform(stored);
        using var normalized = normalizer.Apply(stored);
        // the top-left pixel at the door is the mean of the normalized image's top-left 2×2 block
        using var block = normalized.narrow(2, 0, 2).narrow(3, 0, 2).mean([2, 3]).squeeze(1);
        Assert.Equal([32L, 1, 8, 8], input.shape);
        Assert.True(input.select(2, 0).select(2, 0).squeeze(1).allclose(block, rtol: 0, atol: 1e-5));

        Seeding.Apply(0);
        using var net = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(net.parameters(), pipeline.Plan);
        net.train();
        double Step()
        {
            setup.Optimizer.zero_grad();
            using var loss = pipeline.Loss(net.call(input), data.Train.Targets);
            loss.backward();
            setup.Optimizer.step();
            return loss.item<float>();
        }
        double first = Step();
        double later = Enumerable.Range(0, 4).Select(_ => Step()).Last();
        Assert.True(double.IsFinite(first) && later < first, $"{model}: loss {first} → {later}");
        Assert.Contains("input 16×16 → 8×8 (2×2 average pooling)", pipeline.Description);
    }

    [Fact]
    public void Given_an_image_that_halved_is_smaller_than_the_cnn_takes_When_built_Then_one_clear_knob_error_while_the_mlp_and_a_larger_image_take_it()
    {
        using var small = SmallerInputData.Quadrants(side: 6, train: 8, validation: 8);
        using var fits = SmallerInputData.Quadrants(side: 8, train: 8, validation: 8);
        using var smallNormalizer = InputNormalizer.FitTo(small);
        using var fitsNormalizer = InputNormalizer.FitTo(fits);

        var error = Assert.Throws<UnknownKnobException>(() => Half(Pipeline.Default(small, smallNormalizer, "cnn")));

        Assert.Equal("knob input: half of a 6×6 image is 3×3, smaller than the cnn takes (4×4 at least)", error.Message);
        Assert.Equal(DefaultKnobs.InputHalf, Half(Pipeline.Default(small, smallNormalizer, "mlp")).Knobs[DefaultKnobs.Input]);
        using var model = Half(Pipeline.Default(fits, fitsNormalizer, "cnn")).CreateModel();
        using var x = zeros(2, 1, 4, 4);
        using var output = model.call(x);
        Assert.Equal([2L, 4], output.shape);
    }

    [Fact]
    public void Given_text_When_the_half_input_is_built_Then_it_is_one_clear_knob_error_and_full_is_its_only_size()
    {
        var textPipeline = Pipeline.Default(CheckTestData.Words, InputNormalizer.Identity(), "charconv");

        var textError = Assert.Throws<UnknownKnobException>(() => Half(textPipeline));

        Assert.Equal("knob input: 'half' is not an input size for text; expected one of: full", textError.Message);
        Assert.DoesNotContain("input", textPipeline.Description.Split(", ").Last());
    }

    [Fact]
    public void Given_a_table_When_the_half_input_is_built_Then_the_dropped_columns_read_as_zero_and_the_model_keeps_its_width()
    {
        using var data = ScreeningTables.SignalAmongNoise();
        var full = Pipeline.Default(data, InputNormalizer.Identity(), "mlp");

        var half = Half(full);

        var dropped = DefaultKnobs.DroppedColumnsOf(half.Knobs, data);
        Assert.Equal(4, dropped.Count);
        Assert.Contains($"input without the 4 columns that explain least of the target alone ({string.Join(", ", dropped)})", half.Description);
        using var x = data.Train.Inputs[..5];
        using var seen = half.Transform(x);
        Assert.Equal(x.shape, seen.shape); // same features, same model: the dropped ones are 0, their training mean
        for (int f = 0; f < data.Table!.FeatureNames.Count; f++)
        {
            bool gone = dropped.Contains(data.Table.FeatureNames[f]);
            Assert.Equal(gone ? 0.0 : x[.., f].abs().sum().item<float>(), seen[.., f].abs().sum().item<float>(), 5);
        }
        Assert.Empty(DefaultKnobs.DroppedColumnsOf(full.Knobs, data));
    }

    [Fact]
    public void Given_a_table_of_one_column_When_the_half_input_is_built_Then_it_is_one_clear_knob_error()
    {
        using var temp = new TempFolder();
        var lines = new List<string> { "x,label" };
        for (int i = 0; i < 30; i++) lines.Add($"{i},{(i % 2 == 0 ? "a" : "b")}");
        using var data = CsvDataset.Read(TinyData.WriteCsv(temp.Combine("one.csv"), [.. lines]), "label");

        var error = Assert.Throws<UnknownKnobException>(() => Half(Pipeline.Default(data, InputNormalizer.Identity(), "mlp")));

        Assert.Equal("knob input: a table of 1 column has no half to drop", error.Message);
    }
}
