using Recipe.Checks;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Models;
using Recipe.Stages;
using Recipe.Tests.Support;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Stages;

public class EnsembleChoiceTests
{
    /// <summary>A wide MLP trained far past its fit on a few noisy labels: each seed memorizes the noise its own way.</summary>
    static TrainedMember Overfitted(Pipeline pipeline, InputNormalizer normalizer, long seed)
    {
        var config = pipeline.Training with { Seed = seed };
        Seeding.Apply(seed);
        var model = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        var result = new Trainer().Fit(pipeline.ContextFor(model, setup, normalizer, config));
        return new TrainedMember(model, seed, result.Steps, result.Elapsed.TotalSeconds);
    }

    static Pipeline Memorizing(Dataset data, InputNormalizer normalizer) =>
        Pipeline.Default(data, normalizer, "mlp", new TrainingConfig { LearningRate = 0.01, BatchSize = 32, Epochs = 200, MaxSteps = 200, EvaluateValidation = false })
            .WithKnobs(new Dictionary<string, string> { [DefaultKnobs.Width] = "128" });

    [Fact]
    public void Given_members_trained_from_different_seeds_When_weighed_Then_the_ensemble_beats_the_first_model_beyond_their_noise_and_is_kept()
    {
        using var data = TinyTables.NoisyTwoClass(train: 64, validation: 400, noise: 0.8);
        using var normalizer = InputNormalizer.Identity();
        var pipeline = Memorizing(data, normalizer);
        var members = new[] { 0L, 1, 2, 3 }.Select(seed => Overfitted(pipeline, normalizer, seed)).ToList();

        var (outcome, model) = EnsembleChoice.Weigh(pipeline, members, experimentNumber: 1);

        using var _ = model;
        Assert.Equal(ExperimentVerdict.Confirmed, outcome.Verdict);
        Assert.True(outcome.Kept);
        Assert.NotNull(model);
        Assert.Equal(4, model!.Members.Count);
        Assert.Same(members[0].Model, model.Members[0]);
        Assert.True(outcome.Sigma > 0);
        Assert.True(outcome.FirstValidationLoss - outcome.ValidationLoss > VerdictRule.NoiseBand(outcome.Sigma), $"{outcome.Experiment.Reason}");
        Assert.Equal("ensemble", outcome.Experiment.Stage);
        Assert.True(outcome.Experiment.Kept);
        Assert.Equal("4", outcome.Experiment.Knobs["ensemble_members"]);
    }

    [Fact]
    public void Given_copies_of_one_model_from_the_same_seed_When_weighed_Then_there_is_no_gain_and_the_first_model_stays()
    {
        // the control: the same data, pipeline and training, every member from seed 0: nothing to average out
        using var data = TinyTables.NoisyTwoClass(train: 64, validation: 400, noise: 0.8);
        using var normalizer = InputNormalizer.Identity();
        var pipeline = Memorizing(data, normalizer);
        var members = new[] { 0L, 0, 0, 0 }.Select(seed => Overfitted(pipeline, normalizer, seed)).ToList();

        var (outcome, model) = EnsembleChoice.Weigh(pipeline, members, experimentNumber: 1);

        Assert.Null(model);
        Assert.False(outcome.Kept);
        Assert.NotEqual(ExperimentVerdict.Confirmed, outcome.Verdict);
        Assert.Equal(outcome.FirstValidationLoss, outcome.ValidationLoss, 5);
        // the extra members are disposed, the first model is the caller's and still works
        Assert.Throws<InvalidOperationException>(() => members[1].Model.parameters().First().sum());
        GC.Collect(); // the dropped wrapper's finalizer must not free the first model
        GC.WaitForPendingFinalizers();
        using (var probe = members[0].Model.call(data.Validation.Inputs)) Assert.Equal(data.Validation.Count, probe.shape[0]);
        members[0].Model.Dispose();
    }

    [Fact]
    public void Given_a_member_of_another_regularizer_When_weighed_Then_it_is_named_and_the_noise_is_the_gains_on_these_examples()
    {
        using var data = TinyTables.NoisyTwoClass(train: 64, validation: 400, noise: 0.8);
        using var normalizer = InputNormalizer.Identity();
        var pipeline = Memorizing(data, normalizer);
        var members = new[] { 0L, 1, 2 }.Select(seed => Overfitted(pipeline, normalizer, seed)).ToList();
        members.Add(Overfitted(pipeline, normalizer, 3) with { Change = "another regularizer" });
        var firstLosses = Recipe.Diagnostics.SplitPredictions.Measure(members[0].Model, data.Validation, data.Task, pipeline.Transform).Losses;

        var (outcome, model) = EnsembleChoice.Weigh(pipeline, members, experimentNumber: 1);

        using var _ = model;
        Assert.True(model is not null, outcome.Experiment.Reason); // memorizers of different seeds: their mean cancels much of each one's noise
        var ensembleLosses = Recipe.Diagnostics.SplitPredictions.Measure(model!, data.Validation, data.Task, pipeline.Transform).Losses;
        Assert.Equal(PairedNoise.Sigma(firstLosses, ensembleLosses), outcome.Sigma, 12);
        Assert.Contains("(another regularizer)", outcome.Experiment.Change);
        Assert.Contains("paired per-example", outcome.Experiment.Reason);
    }
}
