using Recipe.Checks;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Regularization;
using Recipe.Tests.Checks;
using Recipe.Tests.Support;

namespace Recipe.Tests.Regularization;

/// <summary>
/// Stage 4's smaller-input rung, alone on the ladder, on Recipe's own pipelines: kept where the label lives in coarse
/// structure under pixel noise, refuted where it lives in one-pixel detail; on a table, kept where the columns it drops are
/// noise, refuted where the label lives in an interaction that no column shows alone; skipped (logged, never trained) for text.
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

    [Fact]
    public void Given_two_signal_columns_among_noise_columns_and_few_rows_When_stage_4_tries_the_half_input_Then_the_noise_is_dropped_confirmed_and_kept()
    {
        using var data = ScreeningTables.SignalAmongNoise();

        var outcome = Stage4.Run(Mlp(data, InputNormalizer.Identity()), Options());

        var experiment = Assert.Single(outcome.Experiments, e => e.Kind != "ablation");
        Assert.True(outcome.Baseline!.StoppedOnValidation, outcome.Baseline.StopReason); // 40 rows: the baseline memorises the noise columns
        Assert.Equal("input full → half", experiment.Change);
        Assert.Equal(ExperimentVerdict.Confirmed, experiment.Verdict);
        Assert.True(experiment.Kept, experiment.Reason);
        Assert.Equal(DefaultKnobs.InputHalf, outcome.Best.Knobs[DefaultKnobs.Input]);
        Assert.Contains("input without the 4 columns that explain least of the target alone (n", outcome.Best.Description);
    }

    [Fact]
    public void Given_a_label_in_an_interaction_no_column_shows_alone_When_stage_4_tries_the_half_input_Then_it_is_refuted_and_not_kept()
    {
        using var data = ScreeningTables.InteractionScreenedOut();

        // (clean labels: the baseline is still improving at its limit, so the rung is asked for although not shown to overfit)
        var outcome = Stage4.Run(Mlp(data, InputNormalizer.Identity()), Options() with { DeferWhenNotShownToOverfit = false });

        var experiment = Assert.Single(outcome.Experiments);
        Assert.Equal(["x0", "x1"], ColumnScreening.DroppedColumns(data)); // the weak single-column signals outrank the interaction
        Assert.Equal(ExperimentVerdict.Refuted, experiment.Verdict);
        Assert.False(experiment.Kept);
        Assert.Equal(DefaultKnobs.InputFull, outcome.Best.Knobs[DefaultKnobs.Input]);
    }

    [Fact]
    public void Given_text_When_stage_4_reaches_the_half_input_Then_it_is_logged_as_skipped_and_never_trained()
    {
        var start = Pipeline.Default(CheckTestData.Words, InputNormalizer.Identity(), "charconv");

        var outcome = Stage4.Run(start, Options(trialSteps: 10));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.True(experiment.Skipped);
        Assert.Null(experiment.Measurement);
        Assert.Equal("smaller-input", experiment.Kind);
        Assert.Contains("'half' is not an input size for text", experiment.Reason);
        Assert.Contains(outcome.Skipped, s => s.StartsWith("input full → half: the pipeline does not take this value", StringComparison.Ordinal));
        Assert.Equal(DefaultKnobs.InputFull, outcome.Best.Knobs[DefaultKnobs.Input]);
    }
}
