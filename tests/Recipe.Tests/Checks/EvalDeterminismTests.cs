using Recipe.Checks;
using Recipe.Checks.Stage2;

namespace Recipe.Tests.Checks;

public class EvalDeterminismTests
{
    [Fact]
    public void Given_dropout_as_a_module_that_follows_eval_When_checked_Then_two_evaluations_agree()
    {
        var correct = CheckTestData.FashionPipeline() with { CreateModel = () => new DropoutMlp(784, 10, alwaysOn: false) };
        CheckAssert.Verdict(Verdict.Pass, new EvalDeterminism(), correct);
    }

    [Fact]
    public void Given_dropout_left_on_at_evaluation_When_checked_Then_it_fails()
    {
        var broken = CheckTestData.FashionPipeline() with { CreateModel = () => new DropoutMlp(784, 10, alwaysOn: true) };
        var result = CheckAssert.Verdict(Verdict.Fail, new EvalDeterminism(), broken);
        Assert.True(result.Evidence["validation_loss_difference"] > 0);
    }
}
