using Recipe.Checks;
using Recipe.Checks.Stage2;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// The margins of the part-B checks: the deciding statistic on a correct pipeline and on its broken twin, next to the
/// threshold, printed (run with `--logger "console;verbosity=detailed"`) and asserted to be wide — a factor, not a hair.
/// Repeats the fault-injection cases of the checks' own tests, hence an integration test.
/// </summary>
[Trait("Category", "Integration")]
public class CheckMarginsReport(ITestOutputHelper output)
{
    double Measure(string label, ICheck check, Pipeline pipeline, string statistic, CheckOptions? options = null)
    {
        var result = CheckAssert.Run(check, pipeline, options);
        double value = result.Evidence[statistic];
        output.WriteLine($"{check.Id,-20} {label,-48} {result.Verdict.Name(),-5} {statistic} = {value:G4}");
        return value;
    }

    [Fact]
    public void Given_each_fault_and_its_correct_twin_When_checked_Then_the_deciding_statistics_are_far_apart()
    {
        double correct = Measure("softmax outputs, permute", new BatchIndependence(), BatchIndependenceTests.WithProbabilities(false), "relative_dependence_on_other_examples");
        double broken = Measure("softmax outputs, view instead of permute", new BatchIndependence(), BatchIndependenceTests.WithProbabilities(true), "relative_dependence_on_other_examples");
        Assert.True(correct == 0 && broken > 1e4 * BatchIndependence.NoMixing.Threshold);

        correct = Measure("window padded on the left", new CausalDependence(), CausalDependenceTests.WindowPipeline(false), "relative_dependence_on_later_inputs");
        broken = Measure("window with same padding", new CausalDependence(), CausalDependenceTests.WindowPipeline(true), "relative_dependence_on_later_inputs");
        Assert.True(correct == 0 && broken > 1e4 * CausalDependence.NoLookAhead.Threshold);

        var fashion = CheckTestData.FashionPipeline();
        correct = Measure("Adam", new LossDecreases(), fashion, "gradient_left_after_zero_grad");
        broken = Measure("Adam whose zero_grad does nothing", new LossDecreases(),
            fashion with { CreateOptimizer = (parameters, _) => new OptimizerSetup(new LossDecreasesTests.NeverZeroedAdam(parameters, 3e-4)) },
            "gradient_left_after_zero_grad");
        Assert.True(correct == 0 && broken > 1e-3);

        var imbalanced = InitFinalBiasTests.Imbalanced();
        correct = Measure("1:9, bias from the priors", new InitFinalBias(), InitFinalBiasTests.Binary(imbalanced, true), "wasted_share");
        broken = Measure("1:9, default final layer", new InitFinalBias(), InitFinalBiasTests.Binary(imbalanced, false), "wasted_share");
        double characters = Measure("characters, default final layer", new InitFinalBias(),
            CheckTestData.WordsPipeline() with { CreateModel = () => new Recipe.Models.CausalCharConv(CheckTestData.Words.Vocabulary!.Size, hidden: 32) }, "wasted_share");
        Assert.True(broken > 2 * InitFinalBias.PriorMatched.Threshold && Math.Max(correct, characters) < InitFinalBias.PriorMatched.Threshold / 2);

        correct = Measure("normalized pixels", new GradientHealth(), fashion, "largest_relative_to_control");
        broken = Measure("raw 0-255 pixels", new GradientHealth(), fashion with { Transform = stored => stored.to_type(float32) }, "largest_relative_to_control");
        var bigTargets = CheckTestData.WithTargets(CheckTestData.OffsetRegression(), split => split.Targets.mul(10), trainOnly: false);
        double regression = Measure("Adam MSE, targets ~500, bias 0", new GradientHealth(), LossAtInitTests.RegressionPipeline(bigTargets, false), "largest_relative_to_control");
        Assert.True(broken > 3 * GradientHealth.NotExploding.Threshold && Math.Max(correct, regression) < GradientHealth.NotExploding.Threshold / 3);
    }
}
