using Recipe.Diagnostics;
using Recipe.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Diagnostics;

public class ActivationStatisticsTests
{
    static Tensor Probe() { torch.manual_seed(1); return randn(256, 8); }

    [Fact]
    public void Given_a_freshly_initialised_mlp_When_walked_Then_the_hidden_layer_is_measured_the_output_layer_left_out_and_few_units_are_dead()
    {
        torch.manual_seed(0);
        using var model = new Mlp(8, [32, 16], 3);

        var layers = ActivationStatistics.Measure(model, Probe());

        Assert.Equal([32L, 16L], layers.Select(l => l.Units));
        Assert.All(layers, l => Assert.True(l.DeadFraction < 0.2, $"{l.Layer}: {l.DeadFraction:P0} dead"));
        Assert.All(layers, l => Assert.NotEmpty(l.Sample));
    }

    [Fact]
    public void Given_a_hidden_layer_whose_bias_drives_every_unit_negative_When_walked_Then_all_its_units_are_dead()
    {
        torch.manual_seed(0);
        using var model = new Mlp(8, [32, 16], 3);
        var first = (TorchSharp.Modules.Linear)model.named_modules().Single(m => m.name.EndsWith("linear0", StringComparison.Ordinal)).module;
        using (no_grad()) first.bias!.fill_(-100);

        var layers = ActivationStatistics.Measure(model, Probe());

        Assert.Equal(1.0, layers[0].DeadFraction);
        Assert.Equal(32, layers[0].DeadUnits);
    }

    [Fact]
    public void Given_a_small_cnn_When_walked_Then_convolution_units_are_channels()
    {
        torch.manual_seed(0);
        using var model = new SmallCnn(1, 8, 8, 2, filters: 4);
        using var probe = randn(16, 1, 8, 8);

        var layers = ActivationStatistics.Measure(model, probe);

        Assert.Equal([4L, 8L, 32L], layers.Select(l => l.Units)); // conv1, conv2, hidden; the output layer left out
        Assert.Equal(["Conv2d", "Conv2d", "Linear"], layers.Select(l => l.Kind));
    }

    /// <summary>One linear layer run on the input and on its negation (weights shared by two branches), then an output layer.</summary>
    sealed class SharedTwice : TorchSharp.torch.nn.Module<Tensor, Tensor>
    {
        public readonly TorchSharp.Modules.Linear shared = TorchSharp.torch.nn.Linear(8, 4);
        readonly TorchSharp.Modules.Linear output = TorchSharp.torch.nn.Linear(8, 2);
        public SharedTwice() : base(nameof(SharedTwice)) => RegisterComponents();
        public override Tensor forward(Tensor x) => output.call(cat([shared.call(x).relu(), shared.call(x.neg()).relu()], 1));
    }

    [Fact]
    public void Given_a_layer_shared_by_two_branches_When_walked_Then_it_is_one_row_and_a_unit_positive_in_either_branch_is_alive()
    {
        torch.manual_seed(0);
        using var model = new SharedTwice();
        using (no_grad())
        {
            model.shared.weight![0].fill_(-1);      // unit 0: negative on the (positive) inputs, positive on their negation
            model.shared.bias![0].fill_(0);
            model.shared.bias![1].fill_(-100);      // unit 1: negative on both
        }
        using var probe = Probe().abs();

        var layers = ActivationStatistics.Measure(model, probe);

        var shared = Assert.Single(layers);        // the output layer left out; the shared layer once
        Assert.Equal(4, shared.Units);
        Assert.Equal(1, shared.DeadUnits);        // unit 1 only: unit 0 was positive in the second branch
    }
}
