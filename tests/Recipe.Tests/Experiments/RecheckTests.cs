using Recipe.Checks;
using Recipe.Experiments;

namespace Recipe.Tests.Experiments;

public class RecheckTests
{
    [Fact]
    public void Given_a_learning_rate_change_When_rechecked_Then_only_the_check_training_could_break_runs()
    {
        using var data = KnobbedPipelines.Xor(train: 128, validation: 64);
        var before = KnobbedPipelines.Mlp(data, width: 8, lr: 1e-3);
        var after = before.WithKnobs(new Dictionary<string, string> { ["lr"] = "0.01" });

        Assert.Equal(["overfit-one-batch"], Recheck.For(before, after, seed: 0));
        var suite = Recheck.Run(before, after, new CheckOptions { Seed = 0, FreshProcess = null });
        Assert.Equal(["overfit-one-batch"], suite.Checks.Select(c => c.Id).ToArray());
    }

    [Fact]
    public void Given_a_wider_model_When_rechecked_Then_the_checks_of_the_model_at_init_run_too()
    {
        using var data = KnobbedPipelines.Xor(train: 128, validation: 64);
        var before = KnobbedPipelines.Mlp(data, width: 8, lr: 1e-3);
        var after = before.WithKnobs(new Dictionary<string, string> { ["width"] = "16" });

        Assert.Equal(Recheck.AfterAnyChange, Recheck.For(before, after, seed: 0));
    }

    [Fact]
    public void Given_stage_2s_full_budgets_When_a_recheck_uses_them_Then_they_are_cut_to_the_quick_ones()
    {
        var full = new CheckOptions { Seed = 5 };

        var recheck = Recheck.QuickBudgets(full);

        Assert.Equal(CheckOptions.Quick.OverfitMaxSteps, recheck.OverfitMaxSteps);
        Assert.True(recheck.OverfitMaxSteps < full.OverfitMaxSteps);
        Assert.Equal(CheckOptions.Quick.InitExamples, recheck.InitExamples);
        Assert.Equal(5, recheck.Seed);
    }
}
