using Recipe.Checks;
using Recipe.Experiments;
using Recipe.Regularization;
using Recipe.Reporting;
using Recipe.Tests.Experiments;
using Recipe.Tests.Support;

namespace Recipe.Tests.Regularization;

/// <summary>Stage 4 through the library API, on a user's own pipeline declaring some of its knobs (tiny data, seconds).</summary>
public class Stage4Tests
{
    static Stage4Options Options(params RegularizationStep[] ladder) => new()
    {
        Seed = 1, TrialSteps = 200, Ladder = ladder.Length == 0 ? null : ladder, LearningCurve = false,
    };

    static RegularizationStep Set(string knob, string value) => RegularizationStep.Set("test", knob, value, "a test step");

    [Fact]
    public void Given_patterns_seen_at_few_positions_When_stage_4_tries_the_shift_augmentation_Then_it_passes_the_gate_is_confirmed_and_kept()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data);

        var outcome = Stage4.Run(start, Options(Set(RegularizationKnobs.Augment, "shift")));

        var experiment = Assert.Single(outcome.Experiments, e => e.Kind != "ablation");
        Assert.Equal(ExperimentVerdict.Confirmed, experiment.Verdict);
        Assert.True(experiment.Kept, experiment.Reason);
        Assert.Equal(Stage4.StageName, experiment.Stage);
        Assert.Equal(Metrics.ValidationLoss, experiment.Prediction.Metric);
        Assert.True(experiment.Outcome < experiment.Baseline - 2 * experiment.NoiseSigma, experiment.Reason);
        Assert.Contains(experiment.Rechecks["augmentation-consistency"], new[] { "pass", "warn" });
        Assert.Equal("shift", outcome.Best.Knobs[RegularizationKnobs.Augment]);
        Assert.Equal(3, outcome.Noise!.Values.Count); // the baseline and two more seeds
    }

    [Fact]
    public void Given_a_weight_decay_so_strong_it_erases_the_weights_When_tried_Then_it_is_refuted_and_not_kept()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: RegularizationPipelines.Cells);
        var start = RegularizationPipelines.Mlp(data);

        var outcome = Stage4.Run(start, Options(Set(RegularizationKnobs.WeightDecay, "50")));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.Equal(ExperimentVerdict.Refuted, experiment.Verdict);
        Assert.False(experiment.Kept);
        Assert.True(experiment.Outcome > experiment.Baseline, experiment.Reason);
        Assert.Equal("0", outcome.Best.Knobs[RegularizationKnobs.WeightDecay]);
        Assert.Empty(outcome.Ablation); // nothing kept, nothing to ablate
    }

    [Fact]
    public void Given_Recipes_own_table_pipeline_When_stage_4_reaches_the_image_shift_Then_it_is_skipped_as_a_value_the_pipeline_does_not_take()
    {
        // Given Recipe's own pipeline on a table: it declares `augment`, but only "off" is an augmentation for a table
        using var data = TinyTables.NoisyTwoClass(train: 64, validation: 64, noise: 0.3);
        using var normalizer = Recipe.Data.InputNormalizer.Identity();
        var start = Pipeline.Default(data, normalizer, "mlp");

        // When the ladder reaches the image shift (the step `recipe run` takes first on every data type)
        var outcome = Stage4.Run(start, Options(Set(RegularizationKnobs.Augment, "shift")));

        // Then the step is logged as skipped with the pipeline's reason, nothing is trained for it, and the run goes on
        var experiment = Assert.Single(outcome.Experiments, e => e.Kind != "ablation");
        Assert.True(experiment.Skipped);
        Assert.Contains("does not take this value", experiment.Reason);
        Assert.Equal("off", outcome.Best.Knobs[RegularizationKnobs.Augment]);
    }

    [Fact]
    public void Given_an_augmentation_that_flips_labels_When_stage_4_reaches_it_Then_the_consistency_check_refuses_it_and_it_is_never_trained()
    {
        using var data = Checks.CheckTestData.Orientation();
        using var normalizer = Recipe.Data.InputNormalizer.FitTo(data);
        var start = RegularizationPipelines.Orientation(data, normalizer);

        var outcome = Stage4.Run(start, Options(Set(RegularizationKnobs.Augment, "shift+flip")));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.True(experiment.Skipped, $"{experiment.Reason} {string.Join(", ", experiment.Rechecks)}");
        Assert.Null(experiment.Measurement);
        Assert.Null(experiment.Verdict);
        Assert.False(experiment.Kept);
        Assert.Equal("fail", experiment.Rechecks["augmentation-consistency"]);
        Assert.StartsWith("Refused before any trial", experiment.Reason);
        Assert.Equal("off", outcome.Best.Knobs[RegularizationKnobs.Augment]);

        // and with trials too short for the baseline to overfit (its rungs left undecided untried) it is still refused, never
        // undecided: a full-length run must never train an augmentation that changes labels
        var deferred = Stage4.Run(start, Options(Set(RegularizationKnobs.Augment, "shift+flip")) with { TrialSteps = 5 });
        Assert.True(deferred.TrialTooShortToOverfit, deferred.Baseline!.StopReason);
        Assert.StartsWith("Refused before any trial", Assert.Single(deferred.Experiments).Reason);
        Assert.Empty(deferred.Undecided);
    }

    [Fact]
    public void Given_two_kept_changes_When_stage_4_ends_Then_the_ablation_removes_each_alone_and_measures_what_it_is_worth()
    {
        // patterns seen at half the positions: a working learning rate helps, and showing them shifted helps more
        using var data = RegularizationPipelines.Rings(trainPositions: 8);
        var start = RegularizationPipelines.Mlp(data, lr: "1E-05"); // barely moves in a trial

        // the baseline is still improving at its trial's end: the rungs are tried anyway (the option a user has) to reach the ablation
        var outcome = Stage4.Run(start, Options(Set("lr", "0.01"), Set(RegularizationKnobs.Augment, "shift")) with { DeferWhenNotShownToOverfit = false });

        Assert.True(outcome.Experiments.Count(e => e.Kept) == 2, string.Join(" | ", outcome.Experiments.Select(e => e.Reason)));
        Assert.Equal([RegularizationKnobs.Augment, "lr"], outcome.Ablation.Select(a => a.Knob).Order());
        foreach (var entry in outcome.Ablation)
        {
            var ablation = outcome.Experiments.Single(e => e.Number == entry.Experiment);
            Assert.Equal("ablation", ablation.Kind);
            Assert.False(ablation.Kept);
            Assert.Equal(entry.WithoutLoss, ablation.Measurement!.ValidationLoss);
            Assert.Equal(outcome.BestMeasurement!.ValidationLoss, entry.WithLoss);
            Assert.Equal(start.Knobs[entry.Knob], ablation.Knobs[entry.Knob]); // the knob alone, back to where stage 4 found it
            Assert.Equal(ExperimentVerdict.Confirmed, entry.Verdict);
            Assert.True(entry.Worth > 0, ablation.Reason);
        }
        Assert.Equal("0.01", outcome.Best.Knobs["lr"]);
    }

    [Fact]
    public void Given_a_pipeline_without_knobs_When_stage_4_runs_Then_it_trains_nothing_and_says_why()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var noKnobs = RegularizationPipelines.Mlp(data) with { Rebuild = null, Knobs = KnobValues.None };

        var outcome = Stage4.Run(noKnobs, Options());

        Assert.Contains("declares no knobs", outcome.NotRun);
        Assert.Empty(outcome.Experiments);
        Assert.Null(outcome.Baseline);
    }

    [Fact]
    public void Given_a_pipeline_declaring_only_some_knobs_When_the_recipes_ladder_runs_Then_only_those_steps_run_and_the_rest_are_named()
    {
        using var data = KnobbedPipelines.Xor(train: 128, validation: 128);
        var start = KnobbedPipelines.Mlp(data, width: 8, lr: 1e-2); // declares width, lr, tag

        var outcome = Stage4.Run(start, Options() with { TrialSteps = 150 });

        Assert.Equal([RegularizationKnobs.Augment, RegularizationKnobs.WeightDecay, RegularizationKnobs.Dropout, RegularizationKnobs.Batch, RegularizationKnobs.Input, DefaultKnobs.Model, DefaultKnobs.Depth], outcome.NotDeclared);
        var tried = outcome.Experiments.Where(e => e.Kind != "ablation").ToList();
        Assert.Equal(["smaller-model", "larger-model"], tried.Select(e => e.Kind));
        Assert.Equal(["width 8 → 4", "width " + (outcome.Experiments[0].Kept ? "4 → 8" : "8 → 16")], tried.Select(e => e.Change));
    }

    [Fact]
    public void Given_a_stage_4_log_When_stored_in_summary_json_Then_it_reads_back_the_same_with_its_ablation()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data, flipBreaksLabels: true);
        var log = new ExperimentLog();
        var outcome = Stage4.Run(start, Options(Set(RegularizationKnobs.Augment, "shift"), Set(RegularizationKnobs.Augment, "shift+flip")), log);
        using var temp = new Support.TempFolder();
        var path = temp.Combine("summary.json");

        Summary.Save(path, new { Regularize = Stage4Section.ToSummary(outcome), Experiments = log.ToSummary() });
        var stored = Summary.Load(path);
        var experiments = ExperimentLog.FromSummary(stored["experiments"]!);

        Assert.Equal(log.All.Select(e => (e.Stage, e.Kind, e.Change, e.Verdict, e.Kept, e.Skipped, e.Reason, e.Baseline, e.Outcome)),
                     experiments.Select(e => (e.Stage, e.Kind, e.Change, e.Verdict, e.Kept, e.Skipped, e.Reason, e.Baseline, e.Outcome)));
        Assert.Equal(log.All.Select(e => e.Rechecks.ToList()), experiments.Select(e => e.Rechecks.ToList()));
        var ablation = stored["regularize"]!["ablation"]!.AsArray();
        Assert.Equal(outcome.Ablation.Count, ablation.Count);
        Assert.Equal(outcome.Ablation.Select(a => a.WithoutLoss), ablation.Select(a => (double)a!["without_loss"]!));
        Assert.Equal(outcome.Noise!.Sigma, (double)stored["regularize"]!["noise_sigma"]!);
    }

    [Fact]
    public void Given_trials_too_short_for_the_baseline_to_pass_its_validation_minimum_When_stage_4_runs_Then_it_says_so_and_long_trials_do_not()
    {
        // Given patterns seen at few positions: the MLP memorizes them and its validation loss turns up after a while
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data);

        // When the same stage runs with 5-step trials and with 2,000-step trials
        var shortTrials = Stage4.Run(start, Options(Set("lr", "0.01")) with { TrialSteps = 5 });
        var longTrials = Stage4.Run(start, Options(Set("lr", "0.01")) with { TrialSteps = 2000 });

        // Then the short baseline was still improving at its limit, the long one stopped on validation before it
        Assert.True(shortTrials.TrialTooShortToOverfit, shortTrials.Baseline!.StopReason);
        Assert.False(longTrials.TrialTooShortToOverfit, longTrials.Baseline!.StopReason);
        Assert.True(longTrials.Baseline!.Measurement.Steps < 2000, $"{longTrials.Baseline.Measurement.Steps} steps");
    }

    [Fact]
    public void Given_a_regularizer_still_improving_when_its_trial_ends_When_it_is_not_kept_Then_it_is_undecided_and_one_stopped_on_validation_is_not()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data);
        var slower = Set("lr", "0.001"); // a tenth of the pipeline's rate: slower to fit, so a short trial cuts it while improving

        // When it gets 5-step trials (tried although the baseline is not shown to overfit), and 2,000-step trials
        var shortTrials = Stage4.Run(start, Options(slower) with { TrialSteps = 5, DeferWhenNotShownToOverfit = false });
        var longTrials = Stage4.Run(start, Options(slower) with { TrialSteps = 2000 });

        // Then the short trial was cut while improving: undecided, with its experiment, knobs and loss; the long one was judged past its best
        var tried = Assert.Single(shortTrials.Experiments);
        Assert.False(tried.Kept);
        var undecided = Assert.Single(shortTrials.Undecided);
        Assert.Equal(tried.Number, undecided.Experiment);
        Assert.Equal("0.001", undecided.Knobs["lr"]);
        Assert.Equal(tried.Outcome, undecided.TrialValidationLoss);
        Assert.NotNull(longTrials.Experiments[0].Measurement); // tried, and its trial ran to where validation stopped improving
        Assert.Empty(longTrials.Undecided);
        Assert.Null(longTrials.LadderDeferred);
    }

    [Fact]
    public void Given_an_augmentation_slow_to_pay_When_its_trial_is_cut_while_improving_Then_it_is_run_again_longer_and_kept_and_later_trials_are_as_long()
    {
        // Given the shift that generalizes patterns seen at three positions, trained at a tenth of the rate: at 30 steps it is
        // still falling and barely below a baseline that early stopping ended at its lowest
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data, augmentedLr: "0.001");
        var ladder = Options(Set(RegularizationKnobs.Augment, "shift"), Set(RegularizationKnobs.WeightDecay, "50")) with { TrialSteps = 30 };

        // When stage 4 may not extend a trial, and when it may (the default, 4×)
        var once = Stage4.Run(start, ladder with { ExtendedTrialFactor = 1 });
        var extended = Stage4.Run(start, ladder);

        // Then without the extension the shift is inconclusive and left undecided
        Assert.True(once.Baseline!.StoppedOnValidation, once.Baseline.StopReason);
        var short1 = once.Experiments[0];
        Assert.Equal(ExperimentVerdict.Inconclusive, short1.Verdict);
        Assert.True(short1.Outcome < short1.Baseline, short1.Reason);
        Assert.Equal(short1.Number, Assert.Single(once.Undecided).Experiment);
        Assert.Empty(once.Extended);
        // and with it the same short trial is run again at 120 steps, confirmed and kept, and the next rung is judged at that length
        var shift = extended.Experiments[0];
        var again = Assert.Single(extended.Extended);
        Assert.Equal((shift.Number, 120, ExperimentVerdict.Confirmed), (again.Experiment, again.StepLimit, again.Verdict));
        Assert.Equal(short1.Outcome, again.ShortValidationLoss);
        Assert.True(shift.Kept, shift.Reason);
        Assert.StartsWith("Its 30-step trial ended while its validation loss was still falling", shift.Reason);
        Assert.True(shift.Measurement!.Steps > 30, $"{shift.Measurement.Steps} steps");
        Assert.Equal("shift", extended.Best.Knobs[RegularizationKnobs.Augment]);
        Assert.Empty(extended.Undecided);
        Assert.Equal(120, extended.FinalTrialSteps);
        // a refuted rung is never run again, however it ended
        var decay = extended.Experiments[1];
        Assert.Equal(ExperimentVerdict.Refuted, decay.Verdict);
        Assert.DoesNotContain(extended.Extended, x => x.Experiment == decay.Number);
    }

    [Fact]
    public void Given_a_baseline_still_improving_at_its_trials_end_When_stage_4_climbs_Then_no_rung_is_trained_and_each_is_left_undecided()
    {
        // Given patterns seen at few positions, where the shift augmentation is confirmed once the baseline overfits (first test)
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data);
        var ladder = Options(Set(RegularizationKnobs.Augment, "shift"), Set(RegularizationKnobs.WeightDecay, "1"));

        // When the trials are 5 steps (the baseline ends at its step limit) and 2,000 steps (early stopping ends it past its minimum)
        var shortTrials = Stage4.Run(start, ladder with { TrialSteps = 5 });
        var longTrials = Stage4.Run(start, ladder with { TrialSteps = 2000 });

        // Then the short run trains neither rung: both are logged as skipped and undecided, the augmentation after its gate
        Assert.True(shortTrials.TrialTooShortToOverfit, shortTrials.Baseline!.StopReason);
        Assert.NotNull(shortTrials.LadderDeferred);
        Assert.All(shortTrials.Experiments, e => Assert.True(e.Skipped && e.Measurement is null && e.Reason.StartsWith("Not tried, undecided"), e.Reason));
        Assert.Equal(shortTrials.Experiments.Select(e => e.Number), shortTrials.Undecided.Select(u => u.Experiment));
        Assert.All(shortTrials.Undecided, u => Assert.Null(u.TrialValidationLoss));
        Assert.Contains(shortTrials.Experiments[0].Rechecks["augmentation-consistency"], new[] { "pass", "warn" });
        Assert.Equal("off", shortTrials.Best.Knobs[RegularizationKnobs.Augment]);
        // and the long run, whose baseline overfits, tries them and keeps the shift
        Assert.False(longTrials.TrialTooShortToOverfit, longTrials.Baseline!.StopReason);
        Assert.Null(longTrials.LadderDeferred);
        Assert.All(longTrials.Experiments.Where(e => e.Kind != "ablation"), e => Assert.NotNull(e.Measurement));
        Assert.Equal("shift", longTrials.Best.Knobs[RegularizationKnobs.Augment]);
    }

    [Fact]
    public void Given_stage_4_with_its_learning_curve_When_run_Then_the_baseline_trials_are_the_full_size_points_and_only_the_subsets_are_trained()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data);

        var outcome = Stage4.Run(start, Options(Set(RegularizationKnobs.WeightDecay, "0.01")) with { LearningCurve = true });

        var curve = outcome.LearningCurve!;
        var fullSize = curve.Points.Where(p => p.Size == data.Train.Count).ToList();
        Assert.Equal([1L, 2L, 3L], fullSize.Select(p => p.Seed)); // the baseline (seed 1) and its two noise seeds
        Assert.Equal(outcome.Noise!.Values, fullSize.Select(p => p.Loss));
        Assert.Equal(3, curve.Reused);
        Assert.Equal(6, curve.Points.Count(p => p.Size < data.Train.Count)); // 10 / 25 / 50 % × 2 seeds trained
        Assert.Null(curve.Cut);
        Assert.NotNull(curve.TwiceTheData);
    }

    [Fact]
    public void Given_too_little_time_for_the_smallest_size_When_stage_4_runs_Then_the_learning_curve_is_skipped_and_says_why()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data);

        var outcome = Stage4.Run(start, Options(Set(RegularizationKnobs.WeightDecay, "0.01")) with { LearningCurve = true, TimeAllowed = TimeSpan.FromMilliseconds(1) });

        Assert.Null(outcome.LearningCurve);
        Assert.Contains("smallest size predicted", outcome.LearningCurveSkipped);
        Assert.Contains(outcome.Skipped, s => s.StartsWith("learning curve: its smallest size", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_kept_change_whose_removal_gives_the_baseline_again_When_ablated_Then_the_baseline_trial_is_reused_and_matches_a_fresh_run()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3);
        var start = RegularizationPipelines.Mlp(data);

        var outcome = Stage4.Run(start, Options(Set(RegularizationKnobs.Augment, "shift")));

        Assert.True(outcome.Baseline!.StoppedOnValidation, outcome.Baseline.StopReason);
        var entry = Assert.Single(outcome.Ablation);
        var ablation = outcome.Experiments.Single(e => e.Number == entry.Experiment);
        Assert.Contains("repeats it step for step", ablation.Reason);
        Assert.Same(outcome.Baseline.Measurement, ablation.Measurement);
        // what the reuse stands for: the ablated pipeline trained afresh at the final trial length gives the same trial
        var fresh = EarlyStoppedTrial.Run(start.WithKnobs(ablation.Knobs), outcome.Baseline.Measurement.Seed, outcome.FinalTrialSteps);
        Assert.Equal(ablation.Measurement!.ValidationLoss, fresh.Measurement.ValidationLoss);
        Assert.Equal(ablation.Measurement.Steps, fresh.Measurement.Steps);
    }
}
