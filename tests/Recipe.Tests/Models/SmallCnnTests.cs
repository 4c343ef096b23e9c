using Recipe.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Tests.Models;

public class SmallCnnTests
{
    /// <summary>The textbook stack SmallCnn must equal: conv → ReLU → max-pool twice, NCHW throughout.</summary>
    static Sequential Textbook(long channels, long height, long width, long outputs, int filters, bool flattenChannelsLast = false) => Sequential(
        ("conv1", Conv2d(channels, filters, 3, padding: 1)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(filters, 2 * filters, 3, padding: 1)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
        // The bug a careless channels-last rewrite introduces: flattening (B, H, W, C) instead of (B, C, H, W).
        ("flatten", flattenChannelsLast ? new FlattenNhwc() : Flatten()),
        ("hidden", Linear(2 * filters * (height / 4) * (width / 4), 8 * filters)), ("relu3", ReLU()),
        ("output", Linear(8 * filters, outputs)));

    sealed class FlattenNhwc() : Module<Tensor, Tensor>(nameof(FlattenNhwc))
    {
        public override Tensor forward(Tensor x) => x.permute(0, 2, 3, 1).flatten(1);
    }

    static void CopyWeights(Module from, Module to)
    {
        using var noGrad = no_grad();
        foreach (var (source, target) in from.parameters().Zip(to.parameters(), (s, t) => (s, t)))
            target.copy_(source);
    }

    /// <summary>Runs forward and backward; returns the outputs and every parameter's gradient, in parameter order.</summary>
    /// <remarks>The input's gradient comes last: checks such as batch-independence differentiate with respect to the input.</remarks>
    static (Tensor Output, Tensor[] Gradients) ForwardBackward(Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        model.zero_grad();
        var input = x.detach().clone().requires_grad_(true);
        var output = model.call(input);
        functional.cross_entropy(output, y).backward();
        return (output.detach(), [.. model.parameters().Select(p => p.grad!.detach().clone()), input.grad!.detach().clone()]);
    }

    [Theory]
    [InlineData(1, 28, 28)] // Fashion-MNIST's shape
    [InlineData(3, 10, 9)]  // colour, and sides that pooling floors (10 → 5 → 2, 9 → 4 → 2)
    public void Given_the_textbook_stack_with_the_same_weights_When_both_train_one_step_Then_outputs_and_gradients_match(int channels, int height, int width)
    {
        manual_seed(3);
        using var fast = new SmallCnn(channels, height, width, outputs: 10, filters: 4);
        using var textbook = Textbook(channels, height, width, 10, filters: 4);
        CopyWeights(fast, textbook);
        using var x = randn(16, channels, height, width);
        using var y = randint(0, 10, [16]);

        var (fastOut, fastGrads) = ForwardBackward(fast, x, y);
        var (bookOut, bookGrads) = ForwardBackward(textbook, x, y);

        Assert.True(fastOut.allclose(bookOut, rtol: 1e-5, atol: 1e-6), "outputs differ");
        Assert.Equal(bookGrads.Length, fastGrads.Length);
        for (int i = 0; i < fastGrads.Length; i++)
            Assert.True(fastGrads[i].allclose(bookGrads[i], rtol: 1e-4, atol: 1e-6), $"gradient {i} differs (the last is the input's)");
    }

    [Fact]
    public void Given_a_stack_that_flattens_channels_last_When_compared_Then_the_outputs_differ()
    {
        manual_seed(3);
        using var fast = new SmallCnn(3, 12, 12, outputs: 10, filters: 4);
        using var broken = Textbook(3, 12, 12, 10, filters: 4, flattenChannelsLast: true);
        CopyWeights(fast, broken);
        using var x = randn(16, 3, 12, 12);
        using var y = randint(0, 10, [16]);

        var (fastOut, _) = ForwardBackward(fast, x, y);
        var (brokenOut, _) = ForwardBackward(broken, x, y);

        Assert.False(fastOut.allclose(brokenOut, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Given_a_one_channel_batch_When_run_Then_the_pools_see_channels_last_tensors_and_parameters_stay_standard()
    {
        using var model = new SmallCnn(1, 28, 28, outputs: 10, filters: 4);
        var poolInputStrides = new List<long[]>();
        var hooks = model.modules().OfType<MaxPool2d>()
            .Select(pool => pool.register_forward_hook((module, input, output) => { poolInputStrides.Add(input.stride()); return output; }))
            .ToList();

        using var output = model.call(randn(5, 1, 28, 28));
        foreach (var hook in hooks) hook.remove();

        Assert.Equal([5L, 10L], output.shape);
        Assert.Equal(2, poolInputStrides.Count);
        Assert.All(poolInputStrides, strides => Assert.Equal(1L, strides[1])); // channels vary fastest: the vectorized pool
        Assert.All(model.parameters(), p => Assert.True(p.is_contiguous()));  // FusedAdam's fast path, usual checkpoints
        Assert.Equal(3, model.modules().OfType<ReLU>().Count());              // visible to the dead-unit probe
    }
}
