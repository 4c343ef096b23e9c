using System.Text.Json.Nodes;
using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Support;

namespace Recipe.Tests.Stages;

public class FinalTrainingStageTests
{
    /// <summary>The summary's "training" entry of a run on <paramref name="csv"/> with the MLP (no linear-model choice), stages 3 and 4 skipped.</summary>
    static JsonNode Train(string csv, string dir, TimeSpan? budget)
    {
        var outcome = RunStage.Execute(new RunOptions
        {
            Data = csv, Out = dir, Seed = 2, Model = "mlp", SkipInspect = true, QuickChecks = true, SkipOverfit = true, SkipRegularize = true, Budget = budget,
        });
        Assert.Equal(0, outcome.ExitCode);
        return Summary.Load(Path.Combine(dir, "summary.json"))["training"]!;
    }

    [Fact]
    public void Given_a_time_budget_When_the_final_model_trains_Then_its_step_budget_follows_the_time_and_a_plateau_lowers_the_rate_before_ending_it()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));

        // control: no --budget, the compute rule alone
        var without = Train(csv, temp.Combine("plain"), null);
        // the same run given ten minutes
        var with = Train(csv, temp.Combine("budget"), TimeSpan.FromMinutes(10));

        int plainSteps = (int)without["budget_steps"]!, budgetSteps = (int)with["budget_steps"]!;
        Assert.True(budgetSteps > plainSteps, $"{budgetSteps} steps with --budget vs {plainSteps} without");
        Assert.True(budgetSteps <= Recipe.Training.TrainingLength.MaxSteps * Recipe.Training.TrainingLength.MaxExtension, $"{budgetSteps}");
        Assert.DoesNotContain("learning rate lowered", (string)without["stop_reason"]!);
        Assert.Contains("learning rate lowered", (string)with["stop_reason"]!);
        // early stopping, not the clock, ended it: a small table does not fill ten minutes
        Assert.Equal("validation-stopped-improving", (string?)with["stop_kind"]);
    }
}
