using Recipe.Checks;
using Recipe.Experiments;
using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Experiments;

namespace Recipe.Tests.Stages;

/// <summary>Stage 3 through the library API, on a user's own pipeline with knobs (tiny XOR data, seconds).</summary>
public class Stage3Tests
{
    // one trial length: the longer second trial has its own tests
    static Stage3Options Options(params CapacityRung[] ladder) => new()
    {
        Seed = 1, TrialSteps = 150, Ladder = ladder, Rechecks = CheckOptions.Quick, LongerTrialFactor = 1,
    };

    static CapacityRung Rung(string knob, string value, string? architecture = null) =>
        new($"{knob} {value}", new Dictionary<string, string> { [knob] = value }) { Architecture = architecture };

    [Fact]
    public void Given_one_hidden_unit_on_xor_When_stage_3_tries_64_Then_the_obviously_true_prediction_is_confirmed_kept_and_rechecked()
    {
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 1, lr: 1e-2);

        var outcome = Stage3.Run(skeleton, Options(Rung("width", "64")));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.Equal(ExperimentVerdict.Confirmed, experiment.Verdict);
        Assert.True(experiment.Kept, experiment.Reason);
        Assert.True(experiment.Outcome < experiment.Baseline - experiment.Prediction.SmallestChange, experiment.Reason);
        Assert.Equal("64", outcome.Best.Knobs["width"]);
        Assert.Equal(["loss-at-init", "init-final-bias", "overfit-one-batch"], experiment.Rechecks.Keys);
        Assert.Equal(3, outcome.Noise.Values.Count); // the baseline and two more seeds
        Assert.Equal(2, outcome.Ladder.Count);
    }

    [Fact]
    public void Given_a_learning_rate_divided_by_10000_When_predicted_to_lower_the_training_loss_Then_it_is_refuted_and_not_kept()
    {
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 32, lr: 1e-2);

        var outcome = Stage3.Run(skeleton, Options(Rung("lr", "1E-06")));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.Equal(ExperimentVerdict.Refuted, experiment.Verdict);
        Assert.False(experiment.Kept);
        Assert.Empty(experiment.Rechecks);
        Assert.Equal(skeleton.Knobs.ToString(), outcome.Best.Knobs.ToString());
        Assert.Contains("ladder exhausted", outcome.StopReason);
    }

    [Fact]
    public void Given_a_knob_that_changes_nothing_When_tried_Then_the_difference_is_within_the_noise_and_inconclusive()
    {
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 8, lr: 1e-2);

        var outcome = Stage3.Run(skeleton, Options(Rung("tag", "b")));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.Equal(ExperimentVerdict.Inconclusive, experiment.Verdict);
        Assert.False(experiment.Kept);
        Assert.True(outcome.Noise.Sigma > 0, "three seeds of a trained MLP differ");
    }

    [Fact]
    public void Given_a_knob_the_pipeline_does_not_declare_When_stage_3_tries_it_Then_it_is_refused_by_name()
    {
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 8, lr: 1e-2);

        var error = Assert.Throws<UnknownKnobException>(() => Stage3.Run(skeleton, Options(Rung("dropout", "0.5"))));

        Assert.Contains("'dropout'", error.Message);
        Assert.Contains("width, lr, tag", error.Message);
    }

    [Fact]
    public void Given_the_same_seed_When_stage_3_runs_twice_Then_the_log_and_its_numbers_are_the_same_and_survive_summary_json()
    {
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 1, lr: 1e-2);
        var ladder = new[] { Rung("width", "64") };

        var first = new ExperimentLog();
        var second = new ExperimentLog();
        Stage3.Run(skeleton, Options(ladder), first);
        Stage3.Run(skeleton, Options(ladder), second);
        using var temp = new Support.TempFolder();
        var path = temp.Combine("summary.json");
        Summary.Save(path, new { Experiments = first.ToSummary() });
        var stored = ExperimentLog.FromSummary(Summary.Load(path)["experiments"]!);

        Assert.Equal(Numbers(first.All), Numbers(second.All));
        Assert.Equal(Numbers(first.All), Numbers(stored));
        Assert.Equal(first.All.Select(e => (e.Change, e.Prediction, e.Verdict, e.Kept, e.Reason, e.Pipeline)), stored.Select(e => (e.Change, e.Prediction, e.Verdict, e.Kept, e.Reason, e.Pipeline)));
        Assert.Equal(first.All.Select(e => e.Knobs.ToList()), stored.Select(e => e.Knobs.ToList()));
        Assert.Equal(first.All.Select(e => e.Measurement!.Curve), stored.Select(e => e.Measurement!.Curve));
    }

    [Fact]
    public void Given_a_rung_that_does_not_help_When_another_architecture_follows_Then_the_climb_skips_the_rest_of_its_architecture_and_moves_on()
    {
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 1, lr: 1e-2);

        var outcome = Stage3.Run(skeleton, Options(Rung("lr", "1E-06", "slow"), Rung("lr", "1E-07", "slow"), Rung("width", "64", "wide")));

        Assert.Equal([ExperimentVerdict.Refuted, null, ExperimentVerdict.Confirmed], outcome.Experiments.Select(e => e.Verdict));
        Assert.True(outcome.Experiments[1].Skipped);
        Assert.Contains("moved on to the next architecture", outcome.Experiments[1].Reason);
        Assert.Equal("64", outcome.Best.Knobs["width"]);
        Assert.Equal(skeleton.Knobs["lr"], outcome.Best.Knobs["lr"]);
        Assert.Contains("ladder exhausted", outcome.StopReason);
    }

    [Fact]
    public void Given_two_architectures_in_a_row_that_do_not_help_When_a_third_follows_Then_the_climb_stops_and_says_why()
    {
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 32, lr: 1e-2);

        var outcome = Stage3.Run(skeleton, Options(Rung("lr", "1E-06", "a"), Rung("lr", "1E-07", "b"), Rung("width", "64", "c")));

        Assert.Equal([ExperimentVerdict.Refuted, ExperimentVerdict.Refuted], outcome.Experiments.Take(2).Select(e => e.Verdict));
        Assert.True(outcome.Experiments[2].Skipped, outcome.Experiments[2].Reason);
        Assert.Equal("32", outcome.Best.Knobs["width"]);
        Assert.StartsWith("2 architectures in a row did not lower the training loss", outcome.StopReason);
        Assert.Contains("2 architectures in a row had no kept rung", outcome.StopRule);
    }

    [Fact]
    public void Given_an_inconclusive_rung_When_time_allows_Then_a_trial_twice_as_long_beside_the_best_decides_it_and_both_are_logged()
    {
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 8, lr: 1e-2);

        var outcome = Stage3.Run(skeleton, Options(Rung("tag", "b")) with { LongerTrialFactor = 2 });

        Assert.Equal(2, outcome.Experiments.Count);
        var (first, second) = (outcome.Experiments[0], outcome.Experiments[1]);
        Assert.Equal(ExperimentVerdict.Inconclusive, first.Verdict);
        Assert.Contains("experiment 2 compares them at 300 steps", first.Reason);
        Assert.Equal("capacity-longer", second.Kind);
        Assert.Equal(300, second.Measurement!.Steps);
        // the baseline of the longer comparison is the best trained as long, not its 150-step loss
        Assert.NotEqual(first.Baseline, second.Baseline);
        Assert.Equal(second.Baseline, second.Outcome); // a knob that changes nothing, the same seed: the same loss
        Assert.Equal(ExperimentVerdict.Inconclusive, second.Verdict);
        Assert.False(second.Kept);
        Assert.Equal(300, outcome.LongerTrialSteps);
    }

    [Fact]
    public void Given_validation_labels_opposite_to_training_When_a_wider_model_fits_training_better_Then_it_is_confirmed_but_not_kept()
    {
        using var data = KnobbedPipelines.Xor(flipValidation: true);
        var skeleton = KnobbedPipelines.Mlp(data, width: 1, lr: 1e-2);

        var outcome = Stage3.Run(skeleton, Options(Rung("width", "64")));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.Equal(ExperimentVerdict.Confirmed, experiment.Verdict);
        Assert.False(experiment.Kept);
        Assert.Contains("the lowest validation loss of the trial rose", experiment.Reason);
        Assert.Equal("1", outcome.Best.Knobs["width"]);
    }

    [Fact]
    public void Given_noisy_training_labels_When_a_30x_faster_rate_memorizes_them_by_the_trials_end_Then_it_is_judged_on_its_lowest_validation_loss_and_kept()
    {
        // 30 % of the 64 training labels wrong: the fast rate finds the rule within a few steps, then memorizes the noise
        using var data = KnobbedPipelines.Xor(train: 64, validation: 512, trainNoise: 0.3);
        var skeleton = KnobbedPipelines.Mlp(data, width: 64, lr: 1e-3);

        var outcome = Stage3.Run(skeleton, Options(Rung("lr", "0.03")) with { TrialSteps = 300 });

        var experiment = Assert.Single(outcome.Experiments);
        var fast = experiment.Measurement!;
        Assert.True(experiment.Kept, experiment.Reason);
        Assert.Equal("0.03", outcome.Best.Knobs["lr"]);
        // what early stopping would have kept: its lowest validation loss, early in the trial, below the baseline's
        Assert.True(fast.ValidationStep < fast.Steps / 4, $"lowest at step {fast.ValidationStep}");
        Assert.True(fast.ValidationLoss < outcome.Ladder[0].ValidationLoss, $"{fast.ValidationLoss} vs {outcome.Ladder[0].ValidationLoss}");
        // judged at its last step instead, it would have been refused as overfitting: the fault this rule removes
        Assert.True(fast.LastValidationLoss > 1.5 * outcome.Ladder[0].ValidationLoss, $"last {fast.LastValidationLoss}");
    }

    [Fact]
    public void Given_the_same_fault_When_the_validation_rule_is_off_Then_the_wider_model_is_kept()
    {
        using var data = KnobbedPipelines.Xor(flipValidation: true);
        var skeleton = KnobbedPipelines.Mlp(data, width: 1, lr: 1e-2);

        var outcome = Stage3.Run(skeleton, Options(Rung("width", "64")) with { KeepValidation = false });

        Assert.True(Assert.Single(outcome.Experiments).Kept);
    }

    [Fact]
    public void Given_a_new_architecture_and_a_rate_too_low_for_it_When_its_range_test_sets_its_rate_Then_the_rung_is_confirmed_and_kept_at_that_rate()
    {
        // Given a skeleton at a rate so low that nothing learns in a trial, and a wider architecture after it
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 1, lr: 1e-5);

        // When the new architecture's first rung gets the rate of its own range test
        var outcome = Stage3.Run(skeleton, Options(Rung("width", "64", "wide")) with
        {
            SuggestLearningRateForArchitecture = LearningRateSuggestions.RangeTest(seed: 1, picturePath: null),
        });

        // Then it is compared at that rate, wins, and is kept with it
        var experiment = Assert.Single(outcome.Experiments);
        Assert.Contains("its range test's", experiment.Change);
        Assert.True(experiment.Kept, experiment.Reason);
        Assert.Equal("64", outcome.Best.Knobs["width"]);
        Assert.True(outcome.Best.Knobs.Double("lr") > 1e-4, outcome.Best.Knobs["lr"]);
    }

    [Fact]
    public void Given_the_same_new_architecture_When_it_trains_at_the_incumbents_rate_Then_the_rate_hides_its_capacity_and_it_is_not_kept()
    {
        // the control: the same rung at the skeleton's 1e-5
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 1, lr: 1e-5);

        var outcome = Stage3.Run(skeleton, Options(Rung("width", "64", "wide")));

        var experiment = Assert.Single(outcome.Experiments);
        Assert.DoesNotContain("range test", experiment.Change);
        Assert.False(experiment.Kept, experiment.Reason);
        Assert.Equal("1", outcome.Best.Knobs["width"]);
    }

    [Fact]
    public void Given_a_rung_of_the_best_architecture_When_a_range_test_is_given_Then_it_trains_at_the_best_rate()
    {
        // a wider rung of the architecture the pipeline already has keeps its tuned rate: only a new architecture is re-tuned
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.Mlp(data, width: 1, lr: 1e-2);
        int asked = 0;

        var outcome = Stage3.Run(skeleton, Options(Rung("width", "64", "wide"), Rung("width", "128", "wide")) with
        {
            SuggestLearningRateForArchitecture = pipeline => { asked++; return LearningRateSuggestions.RangeTest(seed: 1, picturePath: null)(pipeline); },
        });

        Assert.True(outcome.Experiments[0].Kept, outcome.Experiments[0].Reason); // so the second rung is of the best's architecture
        Assert.False(outcome.Experiments[1].Skipped, outcome.Experiments[1].Reason);
        Assert.Equal(1, asked);
        Assert.Contains("its range test's", outcome.Experiments[0].Change);
        Assert.DoesNotContain("range test", outcome.Experiments[1].Change);
    }

    [Fact]
    public void Given_a_rung_that_would_overrun_the_time_When_a_cheaper_architecture_follows_Then_the_costly_one_is_skipped_and_the_next_is_tried()
    {
        // Given a ladder whose first architecture sleeps 1 s in every forward pass (its two rungs), then a cheap wider one, and 90 s
        // (generous: on a loaded machine a tiny model's measured cost ratio can come out 10× too high)
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.SlowableMlp(data, width: 1, lr: 1e-2);
        var slow = new Dictionary<string, string> { ["delay_ms"] = "1000" };
        var slower = new Dictionary<string, string> { ["delay_ms"] = "2000" };
        var options = Options(new("slow", slow) { Architecture = "slow" }, new("slower", slower) { Architecture = "slow" },
            Rung("width", "64", "wide")) with { TimeAllowed = TimeSpan.FromSeconds(90) };

        // When stage 3 climbs (150-step trials: the slow rung's predicted ≥ 150 s)
        var outcome = Stage3.Run(skeleton, options);

        // Then the slow architecture is skipped whole, for time, and the wide rung is still tried and kept
        Assert.True(outcome.Experiments[0].Skipped, outcome.Experiments[0].Reason);
        Assert.Contains("s left of stage 3's", outcome.Experiments[0].Reason);
        Assert.True(outcome.Experiments[1].Skipped);
        Assert.Contains("a smaller rung of slow would already overrun", outcome.Experiments[1].Reason);
        Assert.True(outcome.Experiments[2].Kept, outcome.Experiments[2].Reason);
        Assert.Equal("64", outcome.Best.Knobs["width"]);
        Assert.StartsWith("time: slow would overrun stage 3's time", outcome.StopReason);
    }

    [Fact]
    public void Given_no_time_left_for_even_the_best_trial_When_the_climb_starts_Then_every_rung_is_skipped_without_measuring_it()
    {
        // the control: nothing fits, so nothing is tried (not even the cheap rung)
        using var data = KnobbedPipelines.Xor();
        var skeleton = KnobbedPipelines.SlowableMlp(data, width: 1, lr: 1e-2);
        var options = Options(Rung("width", "64", "wide"), Rung("width", "128", "wide")) with { TimeAllowed = TimeSpan.FromMilliseconds(1) };

        var outcome = Stage3.Run(skeleton, options);

        Assert.All(outcome.Experiments, e => Assert.True(e.Skipped, e.Reason));
        Assert.Equal(2, outcome.Experiments.Count);
        Assert.StartsWith("time: the next rung (width 64) would overrun", outcome.StopReason);
    }

    static IEnumerable<(double, double, double, double, int)> Numbers(IEnumerable<Experiment> log) =>
        log.Select(e => (e.Baseline, e.NoiseSigma, e.Measurement!.TrainLoss, e.Measurement.ValidationLoss, e.Measurement.Steps));
}
