using Recipe.Checks;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Regularization;
using Recipe.Tests.Checks;

namespace Recipe.Tests.Regularization;

/// <summary>
/// Stage 4's smaller-input rung, alone on the ladder, on Recipe's own pipelines: kept where the label lives in coarse
/// structure under pixel noise, refuted where it lives in one-pixel detail, skipped (logged, never trained) where there
/// are no pixels to average.
/// </summary>
public class SmallerInputTests
{
    static readonly RegularizationStep Rung = RegularizationStep.Recipe.Single(s => s.Knob == RegularizationKnobs.Input);

    static Stage4Options Options(int trialSteps = 300) => new() { Seed = 1, TrialSteps = trialSteps, Ladder = [Rung], LearningCurve = false };

    /// <summary>Recipe's MLP on the images, at a rate that overfits 64 examples within a trial (so the rung is tried, not deferred).</summary>
    static Pipeline Mlp(Dataset data, InputNormalizer normalizer) =>
        Pipeline.Default(data, normalizer, "mlp").WithKnobs(new Dictionary<string, string> { [DefaultKnobs.LearningRate] = "0.003" });

    [Fact]
    public void Given_a_label_in_coarse_structure_under_pixel_noise_and_few_examples_When_stage_4_tries_the_half_input_Then_it_is_confirmed_and_kept()
    {
        using var data = SmallerInputData.Quadrants();
        using var normalizer = InputNormalizer.FitTo(data);

        var outcome = Stage4.Run(Mlp(data, normalizer), Options());

        var experiment = Assert.Single(outcome.Experiments, e => e.Kind != "ablation");
        Assert.True(outcome.Baseline!.StoppedOnValidation, outcome.Baseline.StopReason); // the baseline overfits: the rung is tried
        Assert.Equal("smaller-input", experiment.Kind);
        Assert.Equal("input full → half", experiment.Change);
        Assert.Equal(ExperimentVerdict.Confirmed, experiment.Verdict);
        Assert.True(experiment.Kept, experiment.Reason);
        Assert.True(experiment.Outcome < experiment.Baseline - 2 * experiment.NoiseSigma, experiment.Reason);
        Assert.Equal(DefaultKnobs.InputHalf, outcome.Best.Knobs[DefaultKnobs.Input]);
        Assert.Contains("input 16×16 → 8×8", outcome.Best.Description);
    }

    [Fact]
    public void Given_a_label_in_one_pixel_detail_When_stage_4_tries_the_half_input_Then_it_is_refuted_and_not_kept()
    {
        using var data = SmallerInputData.Checkerboards();
        using var normalizer = InputNormalizer.FitTo(data);

        var outcome = Stage4.Run(Mlp(data, normalizer), Options());

        var experiment = Assert.Single(outcome.Experiments);
        Assert.True(outcome.Baseline!.StoppedOnValidation, outcome.Baseline.StopReason);
        Assert.Equal(ExperimentVerdict.Refuted, experiment.Verdict);
        Assert.False(experiment.Kept);
        // 2×2 averaging leaves both phases the same grey: no better than the prior of two classes
        Assert.True(experiment.Outcome > 0.9 * Math.Log(2), experiment.Reason);
        Assert.Equal(DefaultKnobs.InputFull, outcome.Best.Knobs[DefaultKnobs.Input]);
        Assert.Empty(outcome.Ablation);
    }

    [Theory]
    [InlineData("table", "tables")]
    [InlineData("text", "text")]
    public void Given_data_without_pixels_When_stage_4_reaches_the_half_input_Then_it_is_logged_as_skipped_and_never_trained(string kind, string named)
    {
        using var table = CheckTestData.OffsetRegression();
        var start = kind == "table"
            ? Pipeline.Default(table, InputNormalizer.Identity(), "mlp")
            : Pipeline.Default(CheckTestData.Words, InputNormalizer.Identity(), "charconv");

        var outcome = Stage4.Run(start, Options(trialSteps: 10));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.True(experiment.Skipped);
        Assert.Null(experiment.Measurement);
        Assert.Equal("smaller-input", experiment.Kind);
        Assert.Contains($"'half' is not an input size for {named}", experiment.Reason);
        Assert.Contains(outcome.Skipped, s => s.StartsWith("input full → half: the pipeline does not take this value", StringComparison.Ordinal));
        Assert.Equal(DefaultKnobs.InputFull, outcome.Best.Knobs[DefaultKnobs.Input]);
    }
}
