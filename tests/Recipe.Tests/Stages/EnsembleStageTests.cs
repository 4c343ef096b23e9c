using Recipe.Interop;
using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Support;

namespace Recipe.Tests.Stages;

public class EnsembleStageTests
{
    static RunOptions Table(string csv, string dir) => new()
    {
        Data = csv, Out = dir, Model = "mlp", SkipInspect = true, SkipChecks = true, SkipOverfit = true, SkipRegularize = true,
    };

    [Fact]
    public void Given_a_budget_the_first_model_leaves_mostly_unused_When_run_Then_members_are_trained_judged_and_the_outputs_say_which_model_was_kept()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteXorCsv(temp.Combine("xor.csv")); // label noise: validation levels off, the first model stops early
        var dir = temp.Combine("run");

        var outcome = RunStage.Execute(Table(csv, dir) with { Budget = TimeSpan.FromSeconds(90) });

        Assert.Equal(0, outcome.ExitCode);
        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.True(summary["ensemble"] is not null, $"skipped: {summary["stages_skipped"]?.ToJsonString()}; training: {summary["training"]!["stop_reason"]}");
        var ensemble = summary["ensemble"]!;
        var members = ensemble["members"]!.AsArray();
        Assert.InRange(members.Count, 2, EnsembleStage.MaxMembers);
        Assert.Equal(Enumerable.Range(0, members.Count).Select(i => (long)i), members.Select(m => (long)m!["seed"]!));
        var experiment = Assert.Single(summary["experiments"]!.AsArray(), e => (string?)e!["stage"] == "ensemble")!;
        bool kept = (bool)ensemble["kept"]!;
        Assert.Equal(kept, (bool)experiment["kept"]!);
        Assert.Equal(kept, (string?)ensemble["verdict"] == "confirmed");
        // the weights of the model the test score came from: the ensemble when kept, the first model always as model.safetensors
        Assert.Equal(kept, File.Exists(Path.Combine(dir, ModelCard.EnsembleWeights)));
        Assert.Equal(kept ? members.Count : null, ModelCard.Load(dir).EnsembleMembers);
        Assert.Equal(kept, summary["metrics"]!["first_model_test_loss"] is not null);
        Assert.Contains("Ensemble: the budget", File.ReadAllText(Path.Combine(dir, "report.html")));
        Assert.Null(summary["stages_skipped"]?["ensemble"]);
    }

    [Fact]
    public void Given_a_budget_already_used_up_When_run_Then_no_member_is_started_and_the_run_says_why()
    {
        // the admission's control: the time left is less than one training of the first model
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var dir = temp.Combine("run");

        RunStage.Execute(Table(csv, dir) with { Budget = TimeSpan.FromMilliseconds(1) });

        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.Null(summary["ensemble"]);
        Assert.Contains("no member was afforded", (string?)summary["stages_skipped"]!["ensemble"]);
        Assert.False(File.Exists(Path.Combine(dir, ModelCard.EnsembleWeights)));
    }

    [Theory]
    [InlineData(false, "--budget")]
    [InlineData(true, "--epochs")]
    public void Given_no_budget_or_fixed_epochs_When_run_Then_the_ensemble_is_skipped_with_its_reason(bool epochs, string reason)
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        var dir = temp.Combine("run");

        RunStage.Execute(Table(csv, dir) with { Epochs = epochs ? 2 : null, Budget = epochs ? TimeSpan.FromSeconds(60) : null });

        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        Assert.Null(summary["ensemble"]);
        Assert.Contains(reason, (string?)summary["stages_skipped"]!["ensemble"]);
    }
}
