using Recipe.Checks;
using Recipe.Experiments;
using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Experiments;

namespace Recipe.Tests.Stages;

/// <summary>Stage 3 through the library API, on a user's own pipeline with knobs (tiny XOR data, seconds).</summary>
public class Stage3Tests
{
    static Stage3Options Options(params CapacityRung[] ladder) => new()
    {
        Seed = 1, TrialSteps = 150, Ladder = ladder, Rechecks = CheckOptions.Quick,
    };

    static CapacityRung Rung(string knob, string value) => new($"{knob} {value}", new Dictionary<string, string> { [knob] = value });

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
        Assert.Contains("did not lower the training loss", outcome.StopReason);
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

    static IEnumerable<(double, double, double, double, int)> Numbers(IEnumerable<Experiment> log) =>
        log.Select(e => (e.Baseline, e.NoiseSigma, e.Measurement!.TrainLoss, e.Measurement.ValidationLoss, e.Measurement.Steps));
}
