using Recipe.Experiments;
using Recipe.Regularization;
using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Support;

namespace Recipe.Tests.Stages;

public class FullLengthTrialStageTests
{
    /// <summary>Stands in for stage 4: leaves one regularizer undecided, as short trials do, with the noise it measured.</summary>
    sealed class UndecidedStage4(IReadOnlyDictionary<string, string> knobs, double sigma) : IRecipeStage
    {
        public string Name => Stage4.StageName;

        public StageOutcome Run(RunContext context)
        {
            context.Regularize = new Stage4Outcome(context.Pipeline, [], [], 0)
            {
                Noise = new SeedNoise([0, 1, 2], [0.5, 0.5 + sigma, 0.5 - sigma]),
                Undecided = [new UndecidedRegularizer(7, "test", string.Join(", ", knobs.Select(k => $"{k.Key} → {k.Value}")), knobs, 0.9)],
            };
            return StageOutcome.Continue;
        }
    }

    static IReadOnlyList<IRecipeStage> Stages(IReadOnlyDictionary<string, string> knobs, double sigma = 0.01) =>
    [
        new InspectionStage(), new SkeletonChecksStage(), new UndecidedStage4(knobs, sigma), new FinalTrainingStage(),
        new FullLengthTrialStage(), new EnsembleStage(), new TestEvaluationStage(),
    ];

    static RunOptions Table(string csv, string dir, TimeSpan? budget) => new()
    {
        Data = csv, Out = dir, Model = "mlp", SkipInspect = true, SkipChecks = true, SkipOverfit = true, SkipRegularize = true, Budget = budget,
    };

    [Fact]
    public void Given_a_regularizer_stage_4_left_undecided_and_time_left_When_run_Then_it_is_trained_at_full_length_judged_and_joins_the_ensemble()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteXorCsv(temp.Combine("xor.csv"));
        var dir = temp.Combine("run");
        var dropout = new Dictionary<string, string> { ["dropout"] = "0.2" }; // no weights of its own: the same shapes as the final model's

        var outcome = RunStage.Execute("run", Stages(dropout), Table(csv, dir, TimeSpan.FromSeconds(50)));

        Assert.Equal(0, outcome.ExitCode);
        var experiment = Assert.Single(outcome.Experiments, e => e.Stage == FullLengthTrialStage.StageName);
        Assert.Equal(dropout, experiment.Knobs);
        Assert.NotNull(experiment.Verdict);
        Assert.True(experiment.Measurement!.Steps > 0);
        Assert.Equal(Metrics.ValidationLoss, experiment.Prediction.Metric);
        Assert.Equal(0.01, experiment.NoiseSigma, 6); // stage 4's noise judges it
        Assert.Contains("its clock:", experiment.Rationale); // bounded, so the ensemble keeps time for seeds
        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        // the kept one is the final pipeline; the other model is the ensemble's second member, named by its difference
        Assert.Equal(experiment.Kept ? "0.2" : "0", (string?)summary["knobs"]!["dropout"]);
        var second = summary["ensemble"]!["members"]!.AsArray()[1]!;
        Assert.Equal(experiment.Kept ? "without dropout → 0.2" : "dropout → 0.2", (string?)second["change"]);
        Assert.Contains("Full length: the regularizer stage 4 could not judge", File.ReadAllText(Path.Combine(dir, "report.html")));
    }

    [Fact]
    public void Given_much_time_left_When_the_full_length_trial_is_clocked_Then_it_may_use_half_and_the_rest_is_left_for_the_ensembles_seeds()
    {
        var allowed = FullLengthTrialStage.Allowance((TimeSpan.FromSeconds(2000), "--budget 01:00:00"), finalTraining: TimeSpan.FromSeconds(400));

        Assert.Equal(TimeSpan.FromSeconds(1000), allowed.Left);
        Assert.Contains("the rest trains the ensemble", allowed.Name);
    }

    [Fact]
    public void Given_less_than_twice_the_final_training_left_When_the_full_length_trial_is_clocked_Then_it_may_train_as_long_as_the_final_model()
    {
        // the two models are compared: the regularizer gets at least the time the final model had
        var allowed = FullLengthTrialStage.Allowance((TimeSpan.FromSeconds(600), "--budget 01:00:00"), finalTraining: TimeSpan.FromSeconds(400));

        Assert.Equal(TimeSpan.FromSeconds(400), allowed.Left);
        Assert.Contains("as long as the final training took", allowed.Name);
    }

    [Fact]
    public void Given_an_undecided_change_of_the_models_weights_When_run_Then_it_is_not_trained_and_the_run_says_why()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteXorCsv(temp.Combine("xor.csv"));
        var dir = temp.Combine("run");

        var outcome = RunStage.Execute("run", Stages(new Dictionary<string, string> { ["width"] = "16" }), Table(csv, dir, TimeSpan.FromSeconds(20)));

        Assert.DoesNotContain(outcome.Experiments, e => e.Stage == FullLengthTrialStage.StageName);
        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.Contains("other weights", (string?)summary["stages_skipped"]![FullLengthTrialStage.StageName]);
    }

    [Fact]
    public void Given_an_undecided_half_input_of_a_table_When_run_Then_it_is_not_trained_though_every_weight_shape_matches()
    {
        // a table's half input hides columns with the same weights: as an ensemble member it would be asked about columns it never saw
        using var temp = new TempFolder();
        var csv = TinyTables.WriteXorCsv(temp.Combine("xor.csv"));
        var dir = temp.Combine("run");

        var outcome = RunStage.Execute("run", Stages(new Dictionary<string, string> { ["input"] = "half" }), Table(csv, dir, TimeSpan.FromSeconds(20)));

        Assert.DoesNotContain(outcome.Experiments, e => e.Stage == FullLengthTrialStage.StageName);
        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.Contains("another input than the final one (input half, not full)", (string?)summary["stages_skipped"]![FullLengthTrialStage.StageName]);
    }

    [Fact]
    public void Given_no_budget_When_run_Then_no_undecided_regularizer_is_trained()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var dir = temp.Combine("run");

        var outcome = RunStage.Execute("run", Stages(new Dictionary<string, string> { ["dropout"] = "0.2" }), Table(csv, dir, budget: null));

        Assert.DoesNotContain(outcome.Experiments, e => e.Stage == FullLengthTrialStage.StageName);
        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.Null(summary["ensemble"]);
        Assert.Null(summary["stages_skipped"]?[FullLengthTrialStage.StageName]); // nothing to do without a budget: not a skip
    }
}
