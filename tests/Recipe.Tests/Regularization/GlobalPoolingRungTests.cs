using Recipe.Checks;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Regularization;

namespace Recipe.Tests.Regularization;

/// <summary>
/// Stage 4's smaller-model rung "global average pooling instead of the large fully-connected layer" (cnn → cnngap), alone
/// on the ladder, on Recipe's own cnn: kept where the label is what a shape is and training shows it in one corner only,
/// refuted where the label is where a shape is; not applicable to a model without that head.
/// </summary>
public class GlobalPoolingRungTests(Xunit.Abstractions.ITestOutputHelper output)
{
    static readonly RegularizationStep Rung = RegularizationStep.Recipe.Single(s => s.Knob == DefaultKnobs.Model);

    // the rungs are tried even when a baseline trial ends at its limit: this test is about the rung's verdict, not the deferral
    static Stage4Options Options() => new() { Seed = 1, TrialSteps = 300, Ladder = [Rung], LearningCurve = false, DeferWhenNotShownToOverfit = false };

    static Pipeline Cnn(Dataset data, InputNormalizer normalizer) =>
        Pipeline.Default(data, normalizer, "cnn").WithKnobs(new Dictionary<string, string> { [DefaultKnobs.LearningRate] = "0.003", [DefaultKnobs.Batch] = "32" });

    [Fact]
    public void Given_bars_whose_kind_is_the_label_seen_in_one_corner_only_When_stage_4_tries_global_pooling_Then_it_is_confirmed_and_kept()
    {
        using var data = GlobalPoolingData.Bars();
        using var normalizer = InputNormalizer.FitTo(data);

        var outcome = Stage4.Run(Cnn(data, normalizer), Options());

        var experiment = Assert.Single(outcome.Experiments, e => e.Kind != "ablation");
        output.WriteLine(experiment.Reason);
        Assert.Equal("smaller-model", experiment.Kind);
        Assert.Equal("model cnn → cnngap", experiment.Change);
        Assert.Equal(ExperimentVerdict.Confirmed, experiment.Verdict);
        Assert.True(experiment.Kept, experiment.Reason);
        Assert.Equal("cnngap", outcome.Best.Knobs[DefaultKnobs.Model]);
    }

    [Fact]
    public void Given_a_square_whose_position_is_the_label_When_stage_4_tries_global_pooling_Then_it_is_refuted_and_the_cnn_stays()
    {
        using var data = GlobalPoolingData.Halves();
        using var normalizer = InputNormalizer.FitTo(data);

        var outcome = Stage4.Run(Cnn(data, normalizer), Options());

        var experiment = Assert.Single(outcome.Experiments, e => e.Kind != "ablation");
        output.WriteLine(experiment.Reason);
        Assert.Equal(ExperimentVerdict.Refuted, experiment.Verdict);
        Assert.False(experiment.Kept);
        Assert.Equal("cnn", outcome.Best.Knobs[DefaultKnobs.Model]);
    }

    [Fact]
    public void Given_a_model_without_a_large_fully_connected_head_When_the_rung_is_asked_Then_it_does_not_apply()
    {
        using var data = GlobalPoolingData.Bars(train: 16, validation: 16);
        using var normalizer = InputNormalizer.FitTo(data);

        Assert.Null(Rung.Next(Pipeline.Default(data, normalizer, "vgg").Knobs));
        Assert.Null(Rung.Next(Pipeline.Default(data, normalizer, "mlp").Knobs));
        Assert.Equal("cnngap", Rung.Next(Pipeline.Default(data, normalizer, "cnn").Knobs));
    }
}
