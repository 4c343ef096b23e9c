using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// The regularization knobs of Recipe's own pipeline (dropout, weight_decay, augment, batch): each changes the built
/// pipeline exactly as its name says, and a value it cannot take is one clear <see cref="UnknownKnobException"/>.
/// </summary>
public class PipelineKnobsTests
{
    static Pipeline Images(string model = "cnn") =>
        Pipeline.Default(CheckTestData.FashionMnist, CheckTestData.FashionNormalizer, model, new TrainingConfig { BatchSize = 64 });

    static Pipeline Table() => Pipeline.Default(CheckTestData.OffsetRegression(), InputNormalizer.Identity(), "mlp", new TrainingConfig { BatchSize = 64 });

    static Pipeline Text() => Pipeline.Default(CheckTestData.Words, InputNormalizer.Identity(), "charconv", new TrainingConfig { BatchSize = 32 });

    static Pipeline With(Pipeline pipeline, string knob, string value) => pipeline.WithKnobs(new Dictionary<string, string> { [knob] = value });

    /// <summary>Same shape and every element equal.</summary>
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Given_the_default_pipeline_When_its_knobs_are_read_Then_the_regularizers_are_declared_and_off()
    {
        var pipeline = Images();

        Assert.Equal("0", pipeline.Knobs[DefaultKnobs.Dropout]);
        Assert.Equal("0", pipeline.Knobs[DefaultKnobs.WeightDecay]);
        Assert.Equal("off", pipeline.Knobs[DefaultKnobs.Augment]);
        Assert.Equal("64", pipeline.Knobs[DefaultKnobs.Batch]);
        Assert.Null(pipeline.Augment);
        Assert.Contains("no dropout, no weight decay, no augmentation", pipeline.Description);
        Assert.False(DefaultKnobs.MixesDropoutWithBatchNorm(pipeline.Knobs));
    }

    [Fact]
    public void Given_every_regularizer_set_When_built_Then_the_description_names_each()
    {
        var pipeline = Images().WithKnobs(new Dictionary<string, string>
        {
            [DefaultKnobs.Dropout] = "0.2", [DefaultKnobs.WeightDecay] = "0.0001", [DefaultKnobs.Augment] = "shift", [DefaultKnobs.Batch] = "32",
        });

        Assert.Contains("dropout 0.2", pipeline.Description);
        Assert.Contains("AdamW weight decay 0.0001", pipeline.Description);
        Assert.Contains("augmentation shift", pipeline.Description);
        Assert.Contains("batch 32", pipeline.Description);
    }

    // --- dropout ---

    /// <summary>Each model kind of the zoo on data it fits, tiny.</summary>
    public static TheoryData<string, string> ModelsAndData => new()
    {
        { "linear", "images" }, { "mlp", "table" }, { "cnn", "images" }, { "vgg", "images" }, { "resnet", "images" },
        { "charconv", "text" }, { "contextmlp", "text" }, { "gru", "text" }, { "transformer", "text" },
    };

    static Pipeline Small(string model, string data)
    {
        var pipeline = data switch
        {
            "images" => Images(model),
            "table" => Table(),
            _ => Text(),
        };
        return pipeline.WithKnobs(new Dictionary<string, string>
        {
            [DefaultKnobs.Model] = model, [DefaultKnobs.Width] = model == "linear" ? "0" : "8", [DefaultKnobs.Depth] = model is "transformer" or "vgg" ? "2" : "1", // two stages: vgg drops channels between them
        });
    }

    static Tensor Batch(Pipeline pipeline) => pipeline.Transform(pipeline.Data.Train.Inputs.narrow(0, 0, 16));

    static Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var _ = no_grad();
        return model.call(x);
    }

    [Theory]
    [MemberData(nameof(ModelsAndData))]
    public void Given_dropout_When_the_model_is_built_Then_it_drops_in_training_mode_only_and_evaluates_as_the_model_without_it(string model, string data)
    {
        var plain = Small(model, data);
        var dropped = With(plain, DefaultKnobs.Dropout, "0.3");
        Seeding.Apply(5);
        using var without = plain.CreateModel();
        Seeding.Apply(5);
        using var with = dropped.CreateModel();
        var x = Batch(plain);

        Assert.Contains(with.modules(), m => m is Dropout or Dropout2d);
        Assert.DoesNotContain(without.modules(), m => m is Dropout or Dropout2d);
        // eval mode: dropout is the identity, so the same weights give the same outputs as the model without it (first:
        // a training-mode pass would move batch norms' running statistics, differently with dropout than without)
        with.eval(); without.eval();
        Assert.True(Forward(with, x).allclose(Forward(without, x), rtol: 1e-5, atol: 1e-6), "eval-mode outputs differ from the same weights without dropout");
        // training mode: two passes draw two masks; the model without dropout gives the same output twice
        with.train(); without.train();
        Assert.False(Same(Forward(with, x), Forward(with, x)), "dropout changed nothing in training mode");
        Assert.True(Same(Forward(without, x), Forward(without, x)));
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("vgg")]
    [InlineData("resnet")]
    public void Given_dropout_in_a_convolutional_model_When_built_Then_whole_channels_are_dropped(string model)
    {
        using var built = With(Small(model, "images"), DefaultKnobs.Dropout, "0.3").CreateModel();

        Assert.Contains(built.modules(), m => m is Dropout2d);
    }

    [Theory]
    [InlineData("vgg", true)]
    [InlineData("resnet", true)]
    [InlineData("cnn", false)]
    public void Given_dropout_When_the_model_has_batch_norm_Then_the_pipeline_says_it_mixes_them(string model, bool mixes)
    {
        var withDropout = With(Small(model, "images"), DefaultKnobs.Dropout, "0.2");

        Assert.Equal(mixes, DefaultKnobs.MixesDropoutWithBatchNorm(withDropout.Knobs));
        Assert.Equal(mixes, withDropout.Description.Contains("batch norm"));
        Assert.False(DefaultKnobs.MixesDropoutWithBatchNorm(Small(model, "images").Knobs)); // no dropout, nothing mixed
    }

    // --- weight decay ---

    [Fact]
    public void Given_weight_decay_When_a_step_sees_zero_gradients_Then_weights_shrink_by_lr_times_decay_and_biases_stay()
    {
        const double rate = 1e-2, decay = 0.5;
        var pipeline = Images("mlp").WithKnobs(new Dictionary<string, string> { [DefaultKnobs.WeightDecay] = "0.5", [DefaultKnobs.LearningRate] = "0.01" });
        Seeding.Apply(1);
        using var model = pipeline.CreateModel();
        var before = model.parameters().Select(p => p.detach().clone()).ToArray();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        foreach (var p in model.parameters()) p.grad = zeros_like(p);

        setup.Optimizer.step();

        Assert.Contains("AdamW", pipeline.Description);
        foreach (var (p, old) in model.parameters().Zip(before))
        {
            var expected = p.dim() >= 2 ? old * (float)(1 - rate * decay) : old; // biases are not decayed
            Assert.True(p.detach().allclose(expected, rtol: 1e-6, atol: 1e-9), $"parameter of shape ({string.Join(", ", p.shape)}) moved wrongly");
        }
        Assert.Contains(model.parameters(), p => p.dim() >= 2);
        Assert.Contains(model.parameters(), p => p.dim() == 1);
    }

    [Fact]
    public void Given_no_weight_decay_When_a_step_sees_zero_gradients_Then_nothing_moves()
    {
        // the control for the test above: without the knob, a zero gradient leaves every weight where it was
        var pipeline = Images("mlp");
        Seeding.Apply(1);
        using var model = pipeline.CreateModel();
        var before = model.parameters().Select(p => p.detach().clone()).ToArray();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        foreach (var p in model.parameters()) p.grad = zeros_like(p);

        setup.Optimizer.step();

        Assert.All(model.parameters().Zip(before), pair => Assert.True(Same(pair.First.detach(), pair.Second)));
    }

    // --- augmentation ---

    [Theory]
    [InlineData("shift")]
    [InlineData("shift+flip")]
    public void Given_an_image_augmentation_knob_When_built_Then_the_pipeline_augments_and_says_so(string name)
    {
        var pipeline = With(Images(), DefaultKnobs.Augment, name);

        Assert.NotNull(pipeline.Augment);
        Assert.Contains($"augmentation {name}", pipeline.Description);
    }

    [Theory]
    [InlineData("table", "shift")]
    [InlineData("text", "shift")]
    [InlineData("images", "rotate")]
    public void Given_an_augmentation_the_data_type_does_not_have_When_built_Then_it_is_one_clear_knob_error(string data, string name)
    {
        var error = Assert.Throws<UnknownKnobException>(() => With(Small(data == "images" ? "cnn" : data == "table" ? "mlp" : "charconv", data), DefaultKnobs.Augment, name));

        Assert.Contains("knob augment", error.Message);
        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("off", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    // --- batch ---

    [Fact]
    public void Given_a_batch_knob_When_built_Then_the_training_config_and_plan_carry_it_with_the_same_examples()
    {
        var basis = Pipeline.Default(CheckTestData.FashionMnist, CheckTestData.FashionNormalizer, "cnn",
            new TrainingConfig { BatchSize = 64, MaxSteps = 100, EvaluateEverySteps = 10 });

        var smaller = With(basis, DefaultKnobs.Batch, "16");

        Assert.Equal(16, smaller.Training.BatchSize);
        Assert.Equal((CheckTestData.FashionMnist.Train.Count + 15) / 16, smaller.Plan.StepsPerEpoch);
        Assert.Equal(400, smaller.Training.MaxSteps);          // 100 steps of 64 = 400 steps of 16: the same examples
        Assert.Equal(40, smaller.Training.EvaluateEverySteps);
        Assert.Equal(64, basis.Training.BatchSize);
    }

    // --- invalid values ---

    [Theory]
    [InlineData("dropout", "1")]
    [InlineData("dropout", "-0.1")]
    [InlineData("dropout", "half")]
    [InlineData("weight_decay", "-1e-4")]
    [InlineData("weight_decay", "NaN")]
    [InlineData("batch", "0")]
    [InlineData("batch", "12.5")]
    [InlineData("batch", "-8")]
    public void Given_a_value_a_knob_cannot_take_When_built_Then_it_is_one_clear_knob_error(string knob, string value)
    {
        var error = Assert.Throws<UnknownKnobException>(() => With(Images(), knob, value));

        Assert.StartsWith($"knob {knob}: expected", error.Message);
        Assert.Contains($"'{value}'", error.Message);
    }
}
