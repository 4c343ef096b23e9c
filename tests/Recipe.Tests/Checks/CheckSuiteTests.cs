using System.Text.RegularExpressions;
using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class CheckSuiteTests
{
    [Fact]
    public void Given_the_stage_2_suite_When_listed_Then_it_holds_every_required_check_once_with_stated_hypotheses_and_thresholds()
    {
        var ids = CheckSuite.Stage2.Select(c => c.Id).ToList();
        string[] required =
        [
            "seed-reproducible", "loss-at-init", "init-final-bias", "input-independent-baseline", "dumb-baselines", "overfit-one-batch",
            "loss-decreases", "inputs-at-the-door", "prediction-dynamics", "batch-independence", "causal-dependence", "gradient-health",
            "loss-gradient-coverage", "augmentation-consistency", "lr-schedule", "eval-determinism", "split-integrity",
        ];
        Assert.Equal(required.Order(), ids.Order());
        foreach (var check in CheckSuite.Stage2)
        {
            Assert.Matches(new Regex("^[a-z]+(-[a-z0-9]+)*$"), check.Id);
            Assert.Equal(2, check.Stage);
            Assert.EndsWith(".", check.Hypothesis);
            Assert.NotEmpty(check.Conditions);
            Assert.All(check.Conditions, c => Assert.Matches("[≤≥] ", c.Title));
        }
    }

    [Fact]
    public void Given_a_pipeline_whose_model_factory_throws_When_checks_run_Then_each_becomes_an_error_with_the_reason_and_the_suite_goes_on()
    {
        var broken = CheckTestData.FashionPipeline() with { CreateModel = () => throw new InvalidOperationException("no weights file at /models/net.bin") };

        var result = CheckSuite.Run(broken, CheckOptions.Quick, checks: [new LossAtInit(), new LearningRateSchedule(), new CausalDependence()]);

        Assert.Equal([Verdict.Error, Verdict.Error, Verdict.Skipped], result.Checks.Select(c => c.Verdict));
        Assert.All(result.Checks.Take(2), c => Assert.Contains("no weights file at /models/net.bin", c.Finding));
        Assert.True(result.Stops, "a blocking check that could not run leaves the stage unproven");
        Assert.Equal(["lr-schedule"], result.Stopping.Select(c => c.Id));
    }

    [Fact]
    public void Given_a_correct_image_pipeline_When_the_whole_suite_runs_Then_nothing_fails_and_the_baselines_are_metrics()
    {
        var result = CheckSuite.Run(CheckTestData.FashionPipeline(), CheckOptions.Quick);

        Assert.All(result.Checks, c => Assert.True(c.Verdict is Verdict.Pass or Verdict.Warn or Verdict.Skipped, $"{c.Id}: {c.Verdict.Name()}: {c.Finding}"));
        Assert.False(result.Stops);
        foreach (var metric in new[] { "majority_accuracy", "input_independent_accuracy", "linear_accuracy", "model_accuracy" })
            Assert.Contains(metric, result.Metrics.Keys);
        Assert.InRange(result.Metrics["majority_accuracy"], 0.05, 0.2);
    }

    [Fact]
    public void Given_a_correct_text_pipeline_When_the_whole_suite_runs_Then_nothing_fails()
    {
        var result = CheckSuite.Run(CheckTestData.WordsPipeline(), CheckOptions.Quick);
        Assert.All(result.Checks, c => Assert.True(c.Verdict is Verdict.Pass or Verdict.Warn or Verdict.Skipped, $"{c.Id}: {c.Verdict.Name()}: {c.Finding}"));
        Assert.Equal(Verdict.Pass, result.Checks.Single(c => c.Id == "causal-dependence").Verdict);
    }

    [Fact]
    public void Given_shuffled_labels_When_the_whole_suite_runs_Then_it_stops_on_the_baselines()
    {
        var shuffled = CheckTestData.WithTargets(CheckTestData.FashionMnist,
            split => split.Targets.index_select(0, randperm(split.Count, generator: new Generator(5))));
        var result = CheckSuite.Run(CheckTestData.FashionPipeline() with { Data = shuffled }, CheckOptions.Quick);

        Assert.True(result.Stops);
        var stopping = result.Stopping.Select(c => c.Id).ToList();
        Assert.Contains("input-independent-baseline", stopping);
        Assert.Contains("dumb-baselines", stopping);
        Assert.All(result.Ranked.Take(stopping.Count), c => Assert.True(c.Stops, $"{c.Id} ranked before a stopping check"));
    }

    [Fact]
    public void Given_two_checks_that_read_the_same_short_run_When_they_run_Then_its_time_is_booked_once_and_apart_from_their_own()
    {
        using var context = new CheckContext(CheckTestData.FashionPipeline(), CheckOptions.Quick);

        var first = CheckSuite.RunOne(new LossDecreases(), context);       // trains the shared short run (and the larger model's)
        var second = CheckSuite.RunOne(new PredictionDynamics(), context); // reads the short run

        Assert.True(first.SharedRunTime > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, second.SharedRunTime);
        Assert.Contains("short run", context.SharedRunTimes.Keys);
        Assert.Equal(context.SharedRunTime, first.SharedRunTime);
        Assert.True(first.Elapsed >= TimeSpan.Zero && first.Elapsed < first.SharedRunTime, $"own {first.Elapsed}, shared {first.SharedRunTime}");
    }
}
