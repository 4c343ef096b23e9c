using System.Diagnostics;
using Recipe.Data;
using Recipe.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Recipe.Bench;

/// <summary>
/// Before and after SmallCnn's faster forward, side by side: forward, loss and backward of one
/// Fashion-MNIST batch through the textbook stack (<see cref="TextbookCnn"/>, NCHW, ReLU before
/// max-pool) and through <see cref="SmallCnn"/> (max-pool before ReLU, channels-last activations),
/// same weights and batches, in alternating rounds; the ratio is taken within each round.
/// </summary>
public sealed class CnnLayoutBenchmark : IBenchmark
{
    const int WarmupSteps = 3, TimedSteps = 15;

    public string Name => "cnn-layout";
    public string Description => "SmallCnn forward + backward, ms: textbook NCHW order (before) vs pool-first channels-last (after)";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        using var data = BenchData.LoadFashionMnist();
        using var normalizer = InputNormalizer.FitTo(data);
        int rounds = options.RepeatsOr(7), timed = options.Quick ? 5 : TimedSteps;
        var textbook = new List<double>();
        var smallCnn = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            bool textbookFirst = round % 2 == 0;
            for (int turn = 0; turn < 2; turn++)
            {
                bool isTextbook = textbookFirst == (turn == 0);
                torch.manual_seed(round);
                using nn.Module<Tensor, Tensor> model = isTextbook ? TextbookCnn.Create(1, 28, 28, 10) : new SmallCnn(1, 28, 28, 10);
                double ms = ForwardBackwardMilliseconds(model, data.Train, normalizer, timed, seed: round);
                (isTextbook ? textbook : smallCnn).Add(ms);
                Log.Line($"cnn-layout: round {round + 1}/{rounds}: {(isTextbook ? "textbook" : "SmallCnn")} {ms:F2} ms per forward + backward");
            }
        }
        var before = new Sample("ms", textbook);
        var after = new Sample("ms", smallCnn);
        return
        [
            new ResultRow("cnn-layout", "textbook conv → ReLU → max-pool, NCHW (before), forward + loss + backward, ms per batch of 128", before),
            new ResultRow("cnn-layout", "SmallCnn: conv → max-pool → ReLU, channels-last (after), ms", after),
            new ResultRow("cnn-layout", "after ÷ before, time", after.Over(before)),
        ];
    }

    static double ForwardBackwardMilliseconds(nn.Module<Tensor, Tensor> model, DataSplit train, InputNormalizer normalizer, int timedSteps, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var order = randperm(train.Count, generator: generator);
        model.train();
        long elapsed = 0;
        for (int step = 0; step < WarmupSteps + timedSteps; step++)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, step * BenchModel.BatchSize, BenchModel.BatchSize);
            var x = normalizer.Apply(train.Inputs.index_select(0, index));
            var y = train.Targets.index_select(0, index);
            model.zero_grad();
            long start = Stopwatch.GetTimestamp();
            cross_entropy(model.call(x), y).backward();
            if (step >= WarmupSteps) elapsed += Stopwatch.GetTimestamp() - start;
        }
        return elapsed * 1000.0 / Stopwatch.Frequency / timedSteps;
    }
}
