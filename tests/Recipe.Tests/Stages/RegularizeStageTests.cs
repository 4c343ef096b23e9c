using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Support;

namespace Recipe.Tests.Stages;

public class RegularizeStageTests
{
    [Fact]
    public void Given_the_recipe_list_When_cut_for_regularize_Then_it_ends_with_stage_4_before_any_final_training_or_test()
    {
        var stages = RecipeStages.Regularize;

        Assert.IsType<RegularizeStage>(stages[^1]);
        Assert.IsType<OverfitStage>(stages[^2]);
        Assert.DoesNotContain(stages, s => s is FinalTrainingStage or TestEvaluationStage);
        Assert.IsType<OverfitStage>(RecipeStages.Overfit[^1]);
        Assert.Contains(RecipeStages.Run, s => s is RegularizeStage);
    }

    [Fact]
    public void Given_a_small_table_When_recipe_regularize_runs_Then_stage_4_is_in_the_summary_and_report_and_the_test_split_is_untouched()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var dir = temp.Combine("run");

        var outcome = RunStage.Execute("regularize", RecipeStages.Regularize,
            new RunOptions { Data = csv, Out = dir, SkipInspect = true, QuickChecks = true, SkipOverfit = true });

        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.Equal("regularize", (string?)summary["command"]);
        var regularize = summary["regularize"]!;
        Assert.Null((string?)regularize["not_run"]);
        var declared = summary["knobs"]!.AsObject().Select(k => k.Key).ToList();
        Assert.All(regularize["not_declared"]!.AsArray().Select(k => (string?)k), k => Assert.DoesNotContain(k, declared));
        Assert.Contains(outcome.Experiments, e => e.Stage == "regularize");
        Assert.Null(outcome.Training);
        Assert.DoesNotContain(outcome.Metrics.Keys, k => k.StartsWith("test", StringComparison.Ordinal));
        Assert.Contains("Stage 4: regularize", File.ReadAllText(Path.Combine(dir, "report.html")));
    }

    [Fact]
    public void Given_a_time_allowance_When_stage_4_sizes_its_trials_Then_they_get_their_share_of_it_at_the_measured_speed_never_below_stage_3s_length()
    {
        // 10 minutes, 10 planned trials, 0.1 s a step: 600 steps each
        Assert.Equal(600, RegularizeStage.TrialStepsForTime(TimeSpan.FromMinutes(10), 0.1, floor: 211));
        // too little time: stage 3's trial length stands
        Assert.Equal(211, RegularizeStage.TrialStepsForTime(TimeSpan.FromSeconds(30), 0.1, floor: 211));
        // a fast table: capped at the final run's most steps
        Assert.Equal(Recipe.Training.TrainingLength.MaxSteps, RegularizeStage.TrialStepsForTime(TimeSpan.FromMinutes(10), 1e-4, floor: 211));
    }

    [Fact]
    public void Given_stage_3s_long_timed_trials_When_stage_4_sizes_its_own_with_budget_Then_its_time_sets_them_not_stage_3s_length()
    {
        // stage 3 timed its trials to 7,000 steps of the small skeleton; stage 4's 10 minutes afford 3,000 of the larger kept model
        int steps = RegularizeStage.TrialLength(stepRule: 211, stage3Steps: 7_000, timed: (TimeSpan.FromMinutes(10), 0.02));
        Assert.Equal(3_000, steps);
        // never below the step rule's length
        Assert.Equal(211, RegularizeStage.TrialLength(211, 7_000, (TimeSpan.FromSeconds(10), 0.02)));
    }

    [Fact]
    public void Given_no_budget_When_stage_4_sizes_its_trials_Then_they_are_stage_3s_so_both_judge_on_the_same_passes()
    {
        Assert.Equal(422, RegularizeStage.TrialLength(stepRule: 211, stage3Steps: 422, timed: null));
        Assert.Equal(211, RegularizeStage.TrialLength(stepRule: 211, stage3Steps: null, timed: null));
    }

    [Fact]
    public void Given_stages_3_and_4_allowed_almost_no_time_When_recipe_run_runs_Then_both_are_skipped_for_time_and_the_final_training_keeps_its_time()
    {
        // the bug: the baseline's noise seeds were not time-checked, stages 3-4 overran a --budget and the final training got 1 step
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var dir = temp.Combine("run");

        var outcome = RunStage.Execute("run", RecipeStages.Run, new RunOptions
        {
            Data = csv, Out = dir, SkipInspect = true, QuickChecks = true,
            OverfitTime = TimeSpan.FromMilliseconds(1), RegularizeTime = TimeSpan.FromMilliseconds(1),
        });

        var skipped = Summary.Load(Path.Combine(dir, "summary.json"))["stages_skipped"]!;
        Assert.Contains("skipped for time", (string?)skipped["overfit"]);
        Assert.Contains("skipped for time", (string?)skipped["regularize"]);
        Assert.Empty(outcome.Experiments);
        Assert.NotNull(outcome.Training);
        Assert.True(outcome.Training!.Steps > 1);
        Assert.Contains("test_accuracy", outcome.Metrics.Keys);
    }
}
