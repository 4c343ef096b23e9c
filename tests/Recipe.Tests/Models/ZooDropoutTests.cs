using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Tests.Checks;

namespace Recipe.Tests.Models;

/// <summary>
/// The zoo with the dropout knob at 0.2 still passes the stage-2 checks its models pass without it: the loss at init is the
/// prior's (dropout scales kept units up, so the expected activation is unchanged), one batch is still memorized, evaluation
/// is deterministic (dropout is off in eval mode) and sequence models stay causal (dropout acts per position).
/// </summary>
public class ZooDropoutTests
{
    const double Dropout = 0.2;

    public static TheoryData<string, int, int> Models => new()
    {
        { "mlp", 16, 1 }, { "cnn", 4, 1 }, { "vgg", 4, 2 }, { "resnet", 4, 1 },
        { "contextmlp", 32, 1 }, { "charconv", 16, 1 }, { "gru", 32, 2 }, { "transformer", 32, 2 },
    };

    static bool IsSequence(string model) => model is "contextmlp" or "charconv" or "gru" or "transformer";

    static Pipeline Zoo(string model, int width, int depth, double learningRate = 3e-3) => IsSequence(model)
        ? ZooPipelines.Words(model, width, depth, learningRate, Dropout)
        : ZooPipelines.For(CheckTestData.FashionMnist, CheckTestData.FashionNormalizer, model, width, depth, learningRate, Dropout);

    [Theory]
    [MemberData(nameof(Models))]
    public void Given_a_zoo_model_with_dropout_When_its_loss_at_init_is_checked_Then_it_passes(string model, int width, int depth) =>
        CheckAssert.Verdict(Verdict.Pass, new LossAtInit(), Zoo(model, width, depth));

    [Theory]
    [MemberData(nameof(Models))]
    public void Given_a_zoo_model_with_dropout_When_it_overfits_one_batch_Then_it_passes(string model, int width, int depth) =>
        CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), Zoo(model, width, depth, ZooPipelines.OverfitLearningRate));

    [Theory]
    [MemberData(nameof(Models))]
    public void Given_a_zoo_model_with_dropout_When_evaluated_twice_Then_the_outputs_are_identical(string model, int width, int depth) =>
        CheckAssert.Verdict(Verdict.Pass, new EvalDeterminism(), Zoo(model, width, depth));

    [Theory]
    [InlineData("contextmlp", 32, 1)]
    [InlineData("charconv", 16, 1)]
    [InlineData("gru", 32, 2)]
    [InlineData("transformer", 32, 2)]
    public void Given_a_sequence_model_with_dropout_When_causality_is_checked_Then_no_output_depends_on_a_later_input(string model, int width, int depth)
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new CausalDependence(), Zoo(model, width, depth));
        Assert.Equal(0, result.Evidence["relative_dependence_on_later_inputs"]);
    }
}
