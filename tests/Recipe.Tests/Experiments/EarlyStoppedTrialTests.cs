using Recipe.Experiments;
using Recipe.Regularization;
using Recipe.Tests.Regularization;

namespace Recipe.Tests.Experiments;

public class EarlyStoppedTrialTests
{
    [Fact]
    public void Given_a_model_that_overfits_until_validation_worsens_When_trialled_with_early_stopping_Then_the_best_weights_not_the_last_are_measured()
    {
        // patterns seen at three positions only: the longer it trains, the more confidently wrong it is elsewhere
        using var data = RegularizationPipelines.Rings(trainPositions: 3, train: 32);
        var pipeline = RegularizationPipelines.Mlp(data);

        var trial = EarlyStoppedTrial.Run(pipeline, seed: 2, maxSteps: 600);

        var best = trial.Validations.MinBy(v => v.Loss);
        var last = trial.Validations[^1];
        Assert.True(last.Loss > best.Loss * 1.05, $"the validation loss should worsen after its best: best {best.Loss} at {best.Step}, last {last.Loss} at {last.Step}");
        Assert.Equal(best.Step, trial.BestStep);
        Assert.Equal(best.Step, trial.RestoredStep);
        Assert.Equal(best.Loss, trial.Measurement.ValidationLoss, 4);
        Assert.True(trial.Measurement.ValidationLoss < last.Loss);
    }

    [Fact]
    public void Given_a_trial_early_stopping_ended_at_a_constant_rate_When_its_knobs_are_trialled_again_with_four_times_the_limit_Then_it_repeats_step_for_step()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3, train: 32);
        var pipeline = RegularizationPipelines.Mlp(data);
        var first = EarlyStoppedTrial.Run(pipeline, seed: 2, maxSteps: 600);
        Assert.True(first.StoppedOnValidation, first.StopReason);

        var rebuilt = pipeline.WithKnobs(new Dictionary<string, string> { [RegularizationKnobs.Augment] = "off" }); // the same knobs, built again
        var longer = EarlyStoppedTrial.Run(rebuilt, seed: 2, maxSteps: 2400);

        Assert.True(first.ConstantRate);
        Assert.True(first.RepeatsAt(2400));
        Assert.Equal(first.Validations, longer.Validations);
        Assert.Equal(first.Measurement.Steps, longer.Measurement.Steps);
        Assert.Equal(first.Measurement.ValidationLoss, longer.Measurement.ValidationLoss);
        Assert.False(first.RepeatsAt(first.StepLimit - 1)); // a shorter limit could cut it
    }

    [Fact]
    public void Given_a_trial_its_limit_ended_or_a_schedule_planned_against_the_limit_When_asked_Then_a_longer_limit_would_not_repeat_it()
    {
        using var data = RegularizationPipelines.Rings(trainPositions: 3, train: 32);
        var pipeline = RegularizationPipelines.Mlp(data);
        var cut = Ended([0.9, 0.7, 0.5, 0.3]) with { StepLimit = 300, ConstantRate = true }; // the limit ended it, still falling
        var scheduled = EarlyStoppedTrial.Run(pipeline with
        {
            CreateOptimizer = (parameters, plan) =>
            {
                var adam = TorchSharp.torch.optim.AdamW(parameters, 0.01);
                return new Recipe.Checks.OptimizerSetup(adam, TorchSharp.torch.optim.lr_scheduler.CosineAnnealingLR(adam, plan.TotalSteps));
            },
        }, seed: 2, maxSteps: 600);

        Assert.False(cut.StoppedOnValidation);
        Assert.False(cut.RepeatsAt(2400));
        Assert.True(scheduled.StoppedOnValidation, scheduled.StopReason);
        Assert.False(scheduled.ConstantRate);
        Assert.False(scheduled.RepeatsAt(2400));
    }

    /// <summary>A trial that ended at its step limit (or on validation) with this validation curve, evaluated every 100 steps.</summary>
    static EarlyStoppedMeasurement Ended(IReadOnlyList<double> losses, bool onValidation = false)
    {
        var curve = losses.Select((loss, i) => (Step: 100 * i, Loss: loss)).ToList();
        var best = curve.MinBy(p => p.Loss);
        var measurement = new TrialMeasurement(1, curve[^1].Step, 0.1, best.Loss, null, 1, []);
        string reason = onValidation ? Recipe.Training.EarlyStopping.StopReasonStart + " (test)" : $"reached the step limit ({curve[^1].Step})";
        return new EarlyStoppedMeasurement(measurement, curve, best.Step, best.Step == curve[^1].Step ? null : best.Step, reason);
    }

    [Fact]
    public void Given_a_trial_cut_by_its_step_limit_while_its_validation_loss_fell_far_beyond_its_jitter_When_asked_Then_it_was_still_improving()
    {
        // a steady fall of 0.02 per evaluation with a ±0.002 wobble: the second half gains 0.1, twenty times the jitter;
        // the last evaluation is not the lowest (a wobble), which the old rule "the best was the last" would have missed
        var losses = Enumerable.Range(0, 12).Select(i => 1.0 - 0.02 * i + (i % 2 == 0 ? 0.002 : -0.002)).ToList();
        losses[^1] = losses[^2] + 0.001;

        var trial = Ended(losses);

        Assert.NotEqual(trial.Validations[^1].Step, trial.BestStep);
        Assert.True(trial.StillImproving);
    }

    [Fact]
    public void Given_a_flat_curve_whose_lowest_point_is_its_last_by_noise_When_asked_Then_it_was_not_still_improving()
    {
        // the fault the rule fixes: a plateau jittering by ±0.01 whose last point happens to be its lowest by 0.001 — no gain
        // beyond the curve's own noise, so a longer training has nothing to show (session 24 trained such a case for 1,769 s)
        var losses = Enumerable.Range(0, 12).Select(i => 0.5 + (i % 2 == 0 ? 0.01 : -0.01)).ToList();
        losses[^1] = 0.489;

        var trial = Ended(losses);

        Assert.Equal(trial.Validations[^1].Step, trial.BestStep);
        Assert.False(trial.StillImproving);
    }

    [Fact]
    public void Given_a_trial_early_stopping_ended_When_asked_Then_it_was_not_still_improving()
    {
        var losses = Enumerable.Range(0, 12).Select(i => 1.0 - 0.05 * i).ToList();

        var trial = Ended(losses, onValidation: true);

        Assert.False(trial.StillImproving);
    }

    [Fact]
    public void Given_a_curve_too_short_to_measure_its_jitter_When_asked_Then_it_was_still_improving_only_if_its_last_point_was_its_best()
    {
        Assert.True(Ended([1.0, 0.8]).StillImproving);
        Assert.False(Ended([1.0, 1.2]).StillImproving);
    }
}
