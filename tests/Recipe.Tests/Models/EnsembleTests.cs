using Recipe.Data;
using Recipe.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Tests.Models;

public class EnsembleTests
{
    static Module<Tensor, Tensor>[] Linears(int count, long outputs)
    {
        var members = new Module<Tensor, Tensor>[count];
        for (int i = 0; i < count; i++)
        {
            torch.manual_seed(10 + i);
            members[i] = Linear(4, outputs);
        }
        return members;
    }

    /// <summary>The reference, computed the plain way: the log of the members' mean softmax over the last dimension.</summary>
    static Tensor LogMeanProbabilities(IEnumerable<Module<Tensor, Tensor>> members, Tensor input) =>
        stack(members.Select(m => m.call(input).softmax(-1)), 0).mean([0]).log();

    [Fact]
    public void Given_classifiers_When_ensembled_Then_the_output_is_the_log_of_the_mean_of_their_probabilities()
    {
        var members = Linears(3, 5);
        using var ensemble = new Ensemble(members, TaskKind.Classification);
        using var input = randn(7, 4);

        using var output = ensemble.call(input);

        using var expected = LogMeanProbabilities(members, input);
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-6));
        // valid logits: their log_softmax is themselves, so cross-entropy reads them as probabilities
        Assert.True(output.log_softmax(-1).allclose(output, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Given_sequence_models_When_ensembled_Then_the_tokens_are_averaged_on_the_last_dimension()
    {
        var members = Linears(2, 6);
        using var ensemble = new Ensemble(members, TaskKind.Sequence);
        using var input = randn(2, 3, 4); // (B, T, features) → (B, T, V)

        using var output = ensemble.call(input);

        Assert.Equal([2L, 3, 6], output.shape);
        using var expected = LogMeanProbabilities(members, input);
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Given_regressors_When_ensembled_Then_the_output_is_the_mean_of_theirs()
    {
        var members = Linears(3, 1);
        using var ensemble = new Ensemble(members, TaskKind.Regression);
        using var input = randn(7, 4);

        using var output = ensemble.call(input);

        using var expected = stack(members.Select(m => m.call(input)), 0).mean([0]);
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Given_an_ensemble_When_switched_to_eval_Then_every_member_is_in_eval_and_its_tensors_are_named_by_member()
    {
        torch.manual_seed(1);
        var members = new Module<Tensor, Tensor>[] { Sequential(Linear(4, 4), Dropout(0.5)), Sequential(Linear(4, 4), Dropout(0.5)) };
        using var ensemble = new Ensemble(members, TaskKind.Classification);

        ensemble.eval();

        Assert.All(members, m => Assert.False(m.training));
        using var input = randn(3, 4);
        using var a = ensemble.call(input);
        using var b = ensemble.call(input);
        Assert.True(a.allclose(b, rtol: 0, atol: 0)); // no dropout in eval mode
        ensemble.train();
        Assert.All(members, m => Assert.True(m.training));
        Assert.Contains("members.1.0.weight", ensemble.state_dict().Keys);
    }
}
