using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Checks;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

/// <summary>Every character model of the zoo passes stage 2's checks on word lines; the knobs are tiny so each runs in seconds.</summary>
public class SequenceZooTests
{
    public static TheoryData<string, int, int> SequenceModels => new()
    {
        { "contextmlp", 32, 1 },
        { "charconv", 16, 1 },
        { "gru", 32, 1 },
        { "transformer", 32, 2 },
    };

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void Given_a_zoo_sequence_model_When_its_loss_at_init_is_checked_Then_it_is_the_priors_cross_entropy(string model, int width, int depth)
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new LossAtInit(), ZooPipelines.Words(model, width, depth));
        // The output weights FinalLayerInit shrinks leave the bias's prior alone: within 2 % of its cross-entropy, far nearer than ln V.
        Assert.InRange(result.Evidence["loss_at_init"] / result.Evidence["prior_cross_entropy"], 0.98, 1.02);
        Assert.True(result.Evidence["uniform_cross_entropy"] > 1.05 * result.Evidence["prior_cross_entropy"]);
    }

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void Given_a_zoo_sequence_model_with_only_its_bias_from_the_priors_When_the_loss_at_init_is_measured_Then_it_is_farther_from_the_prior(string model, int width, int depth)
    {
        // The control for the weight scaling: the same models with default output weights start measurably above the prior.
        var pipeline = ZooPipelines.Words(model, width, depth) with
        {
            CreateModel = () =>
            {
                var created = ModelFactory.Create(model, CheckTestData.Words, width, depth);
                var output = ((IHasOutputLayer)created).Output;
                using var prior = FinalLayerInit.PriorBias(CheckTestData.Words.Train, TaskKind.Sequence, output.bias!.shape[0]);
                using (no_grad()) output.bias!.copy_(prior);
                return created;
            },
        };
        var scaled = CheckAssert.Run(new LossAtInit(), ZooPipelines.Words(model, width, depth));
        var unscaled = CheckAssert.Run(new LossAtInit(), pipeline);
        double Excess(CheckResult r) => r.Evidence["loss_at_init"] - r.Evidence["prior_cross_entropy"];
        Assert.True(Excess(unscaled) > 5 * Math.Abs(Excess(scaled)), $"default weights {Excess(unscaled):F4} nats above the prior, scaled {Excess(scaled):F4}");
    }

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void Given_a_zoo_sequence_model_When_its_final_bias_is_checked_Then_it_predicts_the_prior(string model, int width, int depth) =>
        CheckAssert.Verdict(Verdict.Pass, new InitFinalBias(), ZooPipelines.Words(model, width, depth));

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void Given_a_zoo_sequence_model_When_it_overfits_one_line_Then_every_character_is_predicted(string model, int width, int depth)
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), ZooPipelines.Words(model, width, depth, ZooPipelines.OverfitLearningRate));
        Assert.Equal(1.0, result.Evidence["accuracy_after"]);
    }

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void Given_a_zoo_sequence_model_When_its_batch_is_probed_Then_no_line_reads_another(string model, int width, int depth) =>
        CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), ZooPipelines.Words(model, width, depth));

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void Given_a_zoo_sequence_model_When_causality_is_checked_Then_no_output_depends_on_a_later_input(string model, int width, int depth)
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new CausalDependence(), ZooPipelines.Words(model, width, depth));
        Assert.Equal(0, result.Evidence["relative_dependence_on_later_inputs"]);
    }

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void Given_a_zoo_sequence_model_reading_its_line_backwards_When_causality_is_checked_Then_it_fails(string model, int width, int depth)
    {
        // The control: the same model fed the line reversed sees the future, and the check must say so.
        var words = CheckTestData.Words;
        var pipeline = ZooPipelines.Words(model, width, depth) with
        {
            CreateModel = () => new Backwards(CheckTestData.WithPriorBias(ModelFactory.Create(model, words, width, depth), words)),
        };
        CheckAssert.Verdict(Verdict.Fail, new CausalDependence(), pipeline);
    }

    [Fact]
    public void Given_the_context_mlp_When_a_token_beyond_its_window_changes_Then_the_output_does_not()
    {
        // Bengio's model reads a fixed window: the output at t sees tokens t−7 … t and nothing before.
        manual_seed(1);
        using var model = new ContextMlp(10, context: 8, width: 16);
        model.eval();
        using var tokens = randint(1, 10, [1, 20], dtype: int64);
        using var changed = tokens.clone();
        changed[0, 4] = tensor((tokens[0, 4].item<long>() % 9) + 1);
        using var noGrad = no_grad();
        using var delta = (model.call(changed) - model.call(tokens)).abs().amax([0, 2]); // per position
        Assert.True(delta[4..12].min().item<float>() > 0, "positions 4–11 read token 4");
        Assert.Equal(0f, delta[12..].max().item<float>());
        Assert.Equal(0f, delta[..4].max().item<float>());
    }

    [Fact]
    public void Given_a_transformer_When_a_sequence_is_longer_than_its_positions_Then_it_says_so()
    {
        using var model = new CausalTransformer(10, maxSteps: 8, width: 16, depth: 1);
        var error = Assert.Throws<ArgumentException>(() => model.call(zeros(1, 9, dtype: int64)));
        Assert.Contains("8 positions", error.Message);
    }

    /// <summary>A wrapper that reverses the positions before and after the model: each output then reads the tokens after it.</summary>
    sealed class Backwards : nn.Module<Tensor, Tensor>, IHasOutputLayer
    {
        readonly nn.Module<Tensor, Tensor> _inner;

        public Backwards(nn.Module<Tensor, Tensor> inner) : base(nameof(Backwards))
        {
            _inner = inner;
            RegisterComponents();
        }

        public TorchSharp.Modules.Linear Output => ((IHasOutputLayer)_inner).Output;

        public override Tensor forward(Tensor tokens) => _inner.call(tokens.flip(1)).flip(1);
    }
}
