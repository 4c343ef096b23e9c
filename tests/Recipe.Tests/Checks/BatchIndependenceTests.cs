using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class BatchIndependenceTests
{
    static Pipeline WithScanner(bool viewInsteadOfPermute) => CheckTestData.FashionPipeline() with
    {
        CreateModel = () => new RowScanner(28, 10, viewInsteadOfPermute),
    };

    [Fact]
    public void Given_rows_moved_sequence_first_with_permute_When_checked_Then_examples_stay_independent()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), WithScanner(viewInsteadOfPermute: false));
        Assert.Equal(0, result.Evidence["relative_dependence_on_other_examples"]);
    }

    [Fact]
    public void Given_rows_moved_sequence_first_with_view_instead_of_permute_When_checked_Then_the_mixed_batch_fails_it()
    {
        CheckAssert.Verdict(Verdict.Fail, new BatchIndependence(), WithScanner(viewInsteadOfPermute: true));
    }

    [Fact]
    public void Given_the_default_models_When_checked_Then_mlp_and_causal_conv_pass()
    {
        CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), CheckTestData.FashionPipeline());
        CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), CheckTestData.WordsPipeline());
    }

    /// <summary>The row scanner with a softmax at the end: each output row sums to 1, whatever the batch did to it.</summary>
    sealed class SoftmaxAtTheEnd : nn.Module<Tensor, Tensor>
    {
        readonly nn.Module<Tensor, Tensor> _inner;

        public SoftmaxAtTheEnd(nn.Module<Tensor, Tensor> inner) : base(nameof(SoftmaxAtTheEnd))
        {
            _inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return _inner.call(x).softmax(-1).MoveToOuterDisposeScope();
        }
    }

    internal static Pipeline WithProbabilities(bool viewInsteadOfPermute)
    {
        var pipeline = WithScanner(viewInsteadOfPermute);
        return pipeline with
        {
            CreateModel = () => new SoftmaxAtTheEnd(new RowScanner(28, 10, viewInsteadOfPermute)),
            Loss = (probabilities, targets) => nn.functional.nll_loss(probabilities.clamp_min(1e-12).log(), targets),
        };
    }

    [Fact]
    public void Given_probability_outputs_and_permute_When_checked_Then_it_passes_with_no_dependence_on_other_examples()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), WithProbabilities(viewInsteadOfPermute: false));
        Assert.Equal(0, result.Evidence["relative_dependence_on_other_examples"]);
        Assert.Equal(0, result.Evidence["examples_blind_to_their_input"]);
    }

    [Fact]
    public void Given_probability_outputs_and_view_instead_of_permute_When_checked_Then_the_mixing_fails_it_although_each_output_sums_to_one()
    {
        // The sum of a softmax is constant, so a gradient of the summed outputs is zero everywhere: only a projection sees the mixing.
        var result = CheckAssert.Verdict(Verdict.Fail, new BatchIndependence(), WithProbabilities(viewInsteadOfPermute: true));
        Assert.True(result.Evidence["relative_dependence_on_other_examples"] > 1e-2, $"dependence {result.Evidence["relative_dependence_on_other_examples"]}");
    }
}
