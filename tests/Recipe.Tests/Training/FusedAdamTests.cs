using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Recipe.Tests.Training;

/// <summary>
/// <see cref="FusedAdam"/> against TorchSharp's <see cref="Adam"/>: twin models from one seed, trained on
/// the same batches, must end with the same weights, up to float32 rounding (libtorch's kernels round
/// in a different order, with fused multiply-adds; the fused loop does not).
/// </summary>
public class FusedAdamTests
{
    /// <summary>How far twin weights may drift apart from rounding after 50 steps at lr 1e-2.</summary>
    const double MaxAbsDifference = 1e-5;
    const double RelativeTolerance = 1e-4;
    const double AbsoluteTolerance = 1e-6;
    const int Steps = 50;
    const double LearningRate = 1e-2;

    sealed record Comparison(double MaxAbsDifference, bool AllClose)
    {
        public bool Matches => MaxAbsDifference <= FusedAdamTests.MaxAbsDifference && AllClose;
    }

    /// <summary>
    /// An MLP whose parameters are 78, 13, 39 and 3 elements: none a multiple of the SIMD width, so every
    /// one has a scalar tail, and two are shorter than one vector.
    /// </summary>
    static Mlp Model(long seed = 1)
    {
        manual_seed(seed);
        return new Mlp(6, [13], 3);
    }

    /// <summary>Fixed classification batches of 16: random inputs, labels from a random linear rule plus noise.</summary>
    static (Tensor X, Tensor Y)[] Batches(int count, int seed = 5, long inputs = 6)
    {
        using var generator = new Generator((ulong)seed);
        var rule = randn([inputs, 3], generator: generator);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var x = randn([16, inputs], generator: generator);
            var y = (x.matmul(rule) + randn([16, 3], generator: generator)).argmax(1);
            return (x, y);
        }).ToArray();
    }

    static void Train(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IEnumerable<(Tensor X, Tensor Y)> batches, optim.lr_scheduler.LRScheduler? schedule = null)
    {
        model.train();
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            cross_entropy(model.call(x), y).backward();
            optimizer.step();
            schedule?.step();
        }
    }

    static Comparison Compare(IEnumerable<Parameter> expected, IEnumerable<Parameter> actual)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        double maxAbs = 0;
        bool allClose = true;
        foreach (var (e, a) in expected.Zip(actual, (e, a) => (e, a)))
        {
            Assert.Equal(e.shape, a.shape);
            maxAbs = Math.Max(maxAbs, (e - a).abs().max().to_type(float64).item<double>());
            allClose &= a.allclose(e, rtol: RelativeTolerance, atol: AbsoluteTolerance);
        }
        return new Comparison(maxAbs, allClose);
    }

    /// <summary>Trains twin models, one with each optimizer, for <see cref="Steps"/> steps; compares their weights.</summary>
    static Comparison TrainTwins(Func<IEnumerable<Parameter>, optim.Optimizer> reference, Func<IEnumerable<Parameter>, optim.Optimizer> candidate)
    {
        var batches = Batches(Steps);
        using var expectedModel = Model();
        using var actualModel = Model();
        using var expectedOptimizer = reference(expectedModel.parameters());
        using var actualOptimizer = candidate(actualModel.parameters());
        Train(expectedModel, expectedOptimizer, batches);
        Train(actualModel, actualOptimizer, batches);
        Assert.True(Compare(Model().parameters(), actualModel.parameters()).MaxAbsDifference > 0.05, "training moved the weights");
        return Compare(expectedModel.parameters(), actualModel.parameters());
    }

    static void AssertMatches(Comparison comparison) =>
        Assert.True(comparison.Matches, $"max |Δ| {comparison.MaxAbsDifference:G3} (allowed {MaxAbsDifference:G1}), allclose {comparison.AllClose}");

    [Fact]
    public void Given_twin_models_When_trained_with_Adam_and_FusedAdam_Then_the_weights_match()
    {
        AssertMatches(TrainTwins(p => new Adam(p, LearningRate), p => new FusedAdam(p, LearningRate)));
    }

    [Fact]
    public void Given_weight_decay_When_trained_with_Adam_and_FusedAdam_Then_the_weights_match()
    {
        AssertMatches(TrainTwins(p => new Adam(p, LearningRate, weight_decay: 0.1), p => new FusedAdam(p, LearningRate, weight_decay: 0.1)));
    }

    [Fact]
    public void Given_maximize_When_trained_with_Adam_and_FusedAdam_Then_the_weights_match()
    {
        AssertMatches(TrainTwins(p => new Adam(p, LearningRate, maximize: true), p => new FusedAdam(p, LearningRate, maximize: true)));
    }

    [Fact]
    public void Given_other_betas_and_eps_When_trained_with_Adam_and_FusedAdam_Then_the_weights_match()
    {
        AssertMatches(TrainTwins(p => new Adam(p, LearningRate, beta1: 0.8, beta2: 0.95, eps: 1e-6),
                                 p => new FusedAdam(p, LearningRate, beta1: 0.8, beta2: 0.95, eps: 1e-6)));
    }

    [Fact]
    public void Given_amsgrad_When_trained_with_Adam_and_FusedAdam_Then_the_torch_fallback_matches()
    {
        AssertMatches(TrainTwins(p => new Adam(p, LearningRate, amsgrad: true), p => new FusedAdam(p, LearningRate, amsgrad: true)));
    }

    [Fact]
    public void Given_two_parameter_groups_with_their_own_options_When_trained_Then_each_group_uses_its_own()
    {
        static IEnumerable<Adam.ParamGroup> Groups(IEnumerable<Parameter> parameters)
        {
            var all = parameters.ToArray();
            return [new Adam.ParamGroup(all[..2], lr: 3e-2, weight_decay: 0.01), new Adam.ParamGroup(all[2..], lr: 3e-3, beta1: 0.5)];
        }
        AssertMatches(TrainTwins(p => new Adam(Groups(p)), p => new FusedAdam(Groups(p))));
    }

    [Fact]
    public void Given_decoupled_weight_decay_When_trained_with_AdamW_and_FusedAdam_Then_the_weights_match()
    {
        AssertMatches(TrainTwins(p => new AdamW(p, LearningRate, weight_decay: 0.1),
                                 p => new FusedAdam(p, LearningRate, weight_decay: 0.1) { DecoupledWeightDecay = true }));
    }

    [Fact]
    public void Given_Adams_coupled_weight_decay_When_compared_with_AdamW_Then_it_does_not_match()
    {
        // the control: L2 added to the gradient is a different update, which the comparison above must be able to tell
        Assert.False(TrainTwins(p => new AdamW(p, LearningRate, weight_decay: 0.1), p => new FusedAdam(p, LearningRate, weight_decay: 0.1)).Matches);
    }

    [Theory]
    [InlineData(ScalarType.Float32)] // the fused path (1,000 elements: vectors and a scalar tail)
    [InlineData(ScalarType.Float64)] // the torch fallback
    public void Given_decoupled_decay_and_a_zero_gradient_When_stepped_Then_the_weights_shrink_by_lr_times_decay_per_step(ScalarType dtype)
    {
        const double rate = 0.01, decay = 0.2;
        var weights = new Parameter(full(1000, 3.0, dtype: dtype));
        using var optimizer = new FusedAdam([weights], rate, weight_decay: decay) { DecoupledWeightDecay = true };
        for (int step = 0; step < 3; step++)
        {
            weights.grad = zeros_like(weights);
            optimizer.step();
        }
        double expected = 3.0 * Math.Pow(1 - rate * decay, 3);
        Assert.True(weights.detach().allclose(full(1000, expected, dtype: dtype), rtol: 1e-6, atol: 0), $"{weights[0].to_type(ScalarType.Float64).item<double>()} vs {expected}");
    }

    [Fact]
    public void Given_the_AdamW_factory_When_built_Then_matrices_are_decayed_and_biases_are_not()
    {
        using var model = Model();
        using var optimizer = FusedAdam.AdamW(model.parameters(), LearningRate, 0.05);

        Assert.True(optimizer.DecoupledWeightDecay);
        var groups = optimizer.ParamGroups.Cast<Adam.ParamGroup>().ToArray();
        Assert.Equal(2, groups.Length);
        Assert.All(groups[0].Parameters, p => Assert.True(p.dim() >= 2));
        Assert.Equal(0.05, groups[0].Options.weight_decay);
        Assert.All(groups[1].Parameters, p => Assert.Equal(1, p.dim()));
        Assert.Equal(0.0, groups[1].Options.weight_decay);
        Assert.Equal(model.parameters().Count(), groups.Sum(g => g.Parameters.Count()));
    }

    [Fact]
    public void Given_a_slightly_wrong_update_When_compared_Then_the_tolerance_catches_it()
    {
        // Fault injection: the comparison must be able to fail. Adam with beta2 0.99 instead of 0.999 (a wrong
        // default once shipped by TorchSharp's factory), or a learning rate 1% off, stands in for a broken update.
        var wrongBeta = TrainTwins(p => new Adam(p, LearningRate), p => new FusedAdam(p, LearningRate, beta2: 0.99));
        var wrongRate = TrainTwins(p => new Adam(p, LearningRate), p => new FusedAdam(p, LearningRate * 1.01));
        Assert.False(wrongBeta.Matches, $"beta2 0.99 passed as 0.999: max |Δ| {wrongBeta.MaxAbsDifference:G3}");
        Assert.False(wrongRate.Matches, $"lr +1% passed: max |Δ| {wrongRate.MaxAbsDifference:G3}");
    }

    [Fact]
    public void Given_a_float64_and_a_non_contiguous_parameter_among_float32_ones_When_stepped_Then_each_takes_its_path_and_matches_Adam()
    {
        static Parameter[] Parameters()
        {
            manual_seed(3);
            return [new Parameter(randn(13, 6)), new Parameter(randn(6, 13).t()), new Parameter(randn(21, dtype: float64)), new Parameter(randn(3))];
        }
        var expected = Parameters();
        var actual = Parameters();
        Assert.False(actual[1].is_contiguous());
        using var reference = new Adam(expected, LearningRate);
        using var fused = new FusedAdam(actual, LearningRate);
        using var generator = new Generator(11);
        for (int step = 0; step < Steps; step++)
        {
            var targets = expected.Select(p => randn(p.shape, generator: generator, dtype: p.dtype)).ToArray();
            foreach (var (parameters, optimizer) in new[] { (expected, (optim.Optimizer)reference), (actual, fused) })
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                parameters.Zip(targets, (p, t) => (p - t).pow(2).sum().to_type(float32)).Aggregate((a, b) => a + b).backward();
                optimizer.step();
            }
        }
        AssertMatches(Compare(expected, actual));
        Assert.False(actual[1].is_contiguous());
    }

    [Fact]
    public void Given_a_StepLR_schedule_When_it_drives_Adam_and_FusedAdam_Then_the_learning_rates_and_weights_match()
    {
        var batches = Batches(Steps);
        using var expectedModel = Model();
        using var actualModel = Model();
        using var reference = new Adam(expectedModel.parameters(), LearningRate);
        using var fused = new FusedAdam(actualModel.parameters(), LearningRate);
        var referenceSchedule = optim.lr_scheduler.StepLR(reference, step_size: 10, gamma: 0.5);
        var fusedSchedule = optim.lr_scheduler.StepLR(fused, step_size: 10, gamma: 0.5);
        var expectedRates = new List<double>();
        var actualRates = new List<double>();
        foreach (var batch in batches)
        {
            Train(expectedModel, reference, [batch], referenceSchedule);
            Train(actualModel, fused, [batch], fusedSchedule);
            expectedRates.Add(reference.ParamGroups.Single().LearningRate);
            actualRates.Add(fused.ParamGroups.Single().LearningRate);
        }

        Assert.Equal(expectedRates, actualRates);
        Assert.Equal(LearningRate * Math.Pow(0.5, 5), actualRates[^1], 12); // halved at steps 10, 20, 30, 40, 50
        AssertMatches(Compare(expectedModel.parameters(), actualModel.parameters()));
    }

    [Fact]
    public void Given_a_saved_state_When_loaded_into_a_new_FusedAdam_Then_training_continues_bit_for_bit()
    {
        var batches = Batches(2 * 20);
        using var original = Model(seed: 1);
        using var originalOptimizer = new FusedAdam(original.parameters(), LearningRate);
        Train(original, originalOptimizer, batches[..20]);

        // a fresh model and optimizer: the weights copied, the optimizer's state and options through a stream
        using var restored = CopyOf(original);
        using var restoredOptimizer = new FusedAdam(restored.parameters(), lr: 0.5);
        var saved = new MemoryStream();
        originalOptimizer.save_state_dict(new BinaryWriter(saved));
        saved.Position = 0;
        restoredOptimizer.load_state_dict(new BinaryReader(saved));
        Assert.Equal(LearningRate, restoredOptimizer.ParamGroups.Single().LearningRate);

        Train(original, originalOptimizer, batches[20..]);
        Train(restored, restoredOptimizer, batches[20..]);
        Assert.Equal(0.0, Compare(original.parameters(), restored.parameters()).MaxAbsDifference);
    }

    static Mlp CopyOf(Mlp source)
    {
        var copy = Model(seed: 2);
        using (no_grad())
            foreach (var (to, from) in copy.parameters().Zip(source.parameters()))
                to.copy_(from);
        return copy;
    }

    [Fact]
    public void Given_TorchSharp_Adams_state_When_FusedAdam_takes_it_over_Then_it_continues_as_Adam_would()
    {
        var batches = Batches(2 * 20);
        using var original = Model();
        using var adam = new Adam(original.parameters(), LearningRate);
        Train(original, adam, batches[..20]);
        var saved = new MemoryStream();
        adam.save_state_dict(new BinaryWriter(saved));

        // the reference: Adam restored from the stream, continuing
        using var expected = CopyOf(original);
        using var expectedOptimizer = new Adam(expected.parameters(), LearningRate);
        saved.Position = 0;
        expectedOptimizer.load_state_dict(new BinaryReader(saved));
        // FusedAdam takes Adam's in-memory state dictionary: the same State and Options types
        using var actual = CopyOf(original);
        using var fused = new FusedAdam(actual.parameters(), LearningRate);
        fused.load_state_dict(adam.state_dict());

        Train(expected, expectedOptimizer, batches[20..]);
        Train(actual, fused, batches[20..]);
        AssertMatches(Compare(expected.parameters(), actual.parameters()));

        // a saved stream starts with the optimizer's class name, so it loads only into that class
        saved.Position = 0;
        Assert.Throws<InvalidDataException>(() => fused.load_state_dict(new BinaryReader(saved)));
    }

    [Fact]
    public void Given_a_large_parameter_When_stepped_with_two_torch_threads_Then_the_chunked_update_equals_the_single_threaded_one()
    {
        const long size = 300_001; // above the parallel threshold; odd, so the last chunk ends in a scalar tail
        Assert.Equal(1, FusedAdam.ChunkCount(size, threads: 1));
        Assert.Equal(2, FusedAdam.ChunkCount(size, threads: 2));

        Tensor Run(int threads, Func<Parameter[], optim.Optimizer> create)
        {
            int before = get_num_threads();
            set_num_threads(threads);
            try
            {
                manual_seed(4);
                var parameter = new Parameter(randn(size));
                using var optimizer = create([parameter]);
                using var generator = new Generator(12);
                for (int step = 0; step < 5; step++)
                {
                    using var scope = NewDisposeScope();
                    var target = randn(size, generator: generator);
                    var weight = rand(size, generator: generator);
                    optimizer.zero_grad();
                    ((parameter - target).pow(2) * weight).sum().backward();
                    optimizer.step();
                }
                return parameter.detach().clone();
            }
            finally { set_num_threads(before); }
        }

        using var single = Run(1, p => new FusedAdam(p, LearningRate));
        using var chunked = Run(2, p => new FusedAdam(p, LearningRate));
        using var adam = Run(1, p => new Adam(p, LearningRate));
        Assert.True(single.eq(chunked).all().item<bool>(), "two threads changed the result");
        AssertMatches(Compare([new Parameter(adam)], [new Parameter(chunked)]));
    }
}
