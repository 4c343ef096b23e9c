using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// A correct pipeline whose learning rate is far too small fails the short-run checks as a broken one does; the advice must
/// tell the two apart (raise the rate vs. look for a label bug), and the verdicts must not change.
/// </summary>
public class SlowLearningTests
{
    static readonly ICheck[] BarelyMovedChecks = [new InputIndependentBaseline(), new DumbBaselines(), new LossDecreases()];

    static Pipeline AtRate(Pipeline pipeline, double rate) =>
        pipeline with { CreateOptimizer = (parameters, _) => new OptimizerSetup(new FusedAdam(parameters, rate)) };

    static Pipeline ShuffledLabels() => CheckTestData.FashionPipeline() with
    {
        Data = CheckTestData.WithTargets(CheckTestData.FashionMnist,
            split => split.Targets.index_select(0, randperm(split.Count, generator: new TorchSharp.torch.Generator(3)))),
    };

    [Fact]
    public void Given_a_correct_pipeline_at_a_rate_thirty_times_too_small_When_checked_Then_the_checks_fail_and_say_it_learns_slowly()
    {
        var slow = AtRate(CheckTestData.FashionPipeline(), 1e-5);

        foreach (var check in BarelyMovedChecks)
        {
            var result = CheckAssert.Verdict(Verdict.Fail, check, slow);
            Assert.StartsWith("The model is learning, slowly", result.Advice);
        }
    }

    [Theory]
    [InlineData(3e-4)]
    [InlineData(1e-5)]
    public void Given_shuffled_labels_When_checked_Then_the_checks_fail_without_calling_it_slow_learning(double rate)
    {
        var broken = AtRate(ShuffledLabels(), rate);

        foreach (var check in new ICheck[] { new InputIndependentBaseline(), new DumbBaselines() })
        {
            var result = CheckAssert.Verdict(Verdict.Fail, check, broken);
            Assert.DoesNotContain("learning, slowly", result.Advice);
        }
    }

    [Fact]
    public void Given_nll_on_raw_logits_whose_loss_falls_below_zero_When_checked_Then_it_is_not_called_slow_learning()
    {
        var noFloor = CheckTestData.FashionPipeline() with { Loss = (output, targets) => TorchSharp.torch.nn.functional.nll_loss(output, targets) };

        var result = CheckAssert.Run(new InputIndependentBaseline(), noFloor);

        Assert.DoesNotContain("learning, slowly", result.Advice ?? "");
    }

    [Fact]
    public void Given_a_batch_loss_that_only_wobbles_When_asked_Then_it_is_not_still_falling_and_a_falling_one_is()
    {
        var random = new Random(0);
        var flat = Enumerable.Range(0, 200).Select(_ => 2.3 + 0.1 * (random.NextDouble() - 0.5)).ToList();
        var falling = Enumerable.Range(0, 200).Select(i => 2.3 - 0.002 * i + 0.1 * (random.NextDouble() - 0.5)).ToList();

        Assert.False(SlowLearning.StillFalling(flat, out _, out _));
        Assert.True(SlowLearning.StillFalling(falling, out _, out _));
    }

    [Fact]
    public void Given_accuracies_within_their_binomial_noise_When_compared_Then_real_inputs_do_not_count_as_beating_zeroed_ones()
    {
        var zeroed = new EvaluationResult("validation", 300, 2.30, 0.113);

        Assert.False(SlowLearning.BeatsZeroedInputs(new EvaluationResult("validation", 300, 2.29, 0.133), zeroed)); // +2 points, SE ≈ 2.7
        Assert.True(SlowLearning.BeatsZeroedInputs(new EvaluationResult("validation", 300, 2.16, 0.237), zeroed));  // +12 points
    }
}
