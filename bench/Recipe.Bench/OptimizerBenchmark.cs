using System.Diagnostics;
using Recipe.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Recipe.Bench;

/// <summary>
/// The optimizer step alone: TorchSharp's <see cref="Adam"/> (about nine libtorch kernels per parameter)
/// against Recipe's <see cref="FusedAdam"/> (one SIMD pass per parameter), on the parameters of the
/// training benchmark's models. Gradients come from one real backward on a random batch and stay put;
/// both optimizers step the same parameters (the values do not change the cost). The two take turns,
/// round r starting with optimizer r mod 2, and the ratio is taken within each round.
/// </summary>
public sealed class OptimizerBenchmark : IBenchmark
{
    /// <summary>Wall time TorchSharp's Adam gets per round; the step count is calibrated to it.</summary>
    static readonly TimeSpan RoundTime = TimeSpan.FromMilliseconds(250);

    public string Name => "adam";
    public string Description => "ms per optimizer step: TorchSharp's Adam vs Recipe's FusedAdam (bench models' parameters)";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        var rows = new List<ResultRow>();
        int rounds = options.RepeatsOr(9);
        foreach (var model in BenchModel.For(options))
        {
            manual_seed(0);
            using var net = model.Create();
            FillGradients(net);
            long elements = net.parameters().Sum(p => p.numel());
            using var adam = new Adam(net.parameters(), BenchModel.LearningRate);
            using var fused = new FusedAdam(net.parameters(), BenchModel.LearningRate);
            var optimizers = new (string Label, optim.Optimizer Optimizer)[] { ("TorchSharp Adam", adam), ("FusedAdam", fused) };

            foreach (var (_, optimizer) in optimizers) WarmUp(optimizer, TimeSpan.FromMilliseconds(options.Quick ? 100 : 500));
            double adamCalibration = Time(adam, 20);
            int steps = (int)Math.Clamp(RoundTime.TotalMilliseconds / (options.Quick ? 5 : 1) / adamCalibration, 10, 20_000);
            Log.Line($"adam {model.Name}: {elements:N0} parameters in {net.parameters().Count()} tensors, {steps} steps per round");

            var milliseconds = optimizers.ToDictionary(o => o.Label, _ => new List<double>());
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < optimizers.Length; i++)
                {
                    var (label, optimizer) = optimizers[(round + i) % optimizers.Length];
                    milliseconds[label].Add(Time(optimizer, steps));
                }
                Log.Line($"adam {model.Name}: round {round + 1}/{rounds}: " +
                         string.Join(", ", optimizers.Select(o => $"{o.Label} {milliseconds[o.Label][^1]:F3} ms")));
            }

            string bench = $"adam {model.Name}";
            var torchAdam = new Sample("ms", milliseconds["TorchSharp Adam"]);
            var fusedAdam = new Sample("ms", milliseconds["FusedAdam"]);
            rows.Add(new ResultRow(bench, $"TorchSharp Adam, ms per step ({model.Description}, {elements:N0} parameters)", torchAdam));
            rows.Add(new ResultRow(bench, "FusedAdam, ms per step", fusedAdam));
            rows.Add(new ResultRow(bench, "FusedAdam ÷ TorchSharp Adam, time", fusedAdam.Over(torchAdam)));
        }
        return rows;
    }

    /// <summary>One forward and backward on a random batch of 128 images, so every parameter has a gradient.</summary>
    static void FillGradients(nn.Module<Tensor, Tensor> net)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var x = randn([BenchModel.BatchSize, 1, 28, 28], generator: generator);
        var y = randint(0, 10, [BenchModel.BatchSize], generator: generator, dtype: int64);
        net.train();
        cross_entropy(net.call(x), y).backward();
    }

    /// <summary>
    /// Steps for a while before timing: tiered JIT promotes hot managed code (the step's lambdas and loops)
    /// to optimized code only after ~30 calls and a 100 ms quiet period; caches and the allocator warm up too.
    /// </summary>
    static void WarmUp(optim.Optimizer optimizer, TimeSpan duration)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration) Time(optimizer, 10);
    }

    /// <summary>Milliseconds per step over <paramref name="steps"/> steps.</summary>
    static double Time(optim.Optimizer optimizer, int steps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int s = 0; s < steps; s++) optimizer.step();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps;
    }
}
