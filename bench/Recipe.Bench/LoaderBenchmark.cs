using System.Diagnostics;
using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Bench;

/// <summary>
/// Loader throughput: full passes over the 60,000 training images in shuffled batches of 128, each
/// batch gathered (BatchLoader) and turned into what enters model(x) (uint8 → float, normalized),
/// exactly as the trainer does before the forward pass.
/// </summary>
public sealed class LoaderBenchmark : IBenchmark
{
    const int BatchSize = 128;
    /// <summary>Passes per repeat: one pass takes well under a second, too short to time alone on a busy machine.</summary>
    const int PassesPerRepeat = 5;

    public string Name => "loader";
    public string Description => "Fashion-MNIST batches per second (60k train, batch 128, shuffled, normalized)";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        using var data = BenchData.LoadFashionMnist();
        using var normalizer = InputNormalizer.FitTo(data);
        int repeats = options.RepeatsOr(7);
        Passes(data.Train, normalizer, 1, firstSeed: 1000); // warm-up: JIT, allocator, caches
        var imagesPerSecond = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            imagesPerSecond.Add(Passes(data.Train, normalizer, PassesPerRepeat, firstSeed: r * PassesPerRepeat));
            Log.Line($"loader: pass {r + 1}/{repeats}: {imagesPerSecond[^1]:N0} images/s");
        }
        return
        [
            new ResultRow(Name, $"images/s ({data.Train.Count:N0} train, batch {BatchSize}, shuffled, uint8→float normalized)",
                new Sample("images/s", imagesPerSecond), Target.Minimum(50_000)),
        ];
    }

    /// <summary>Shuffled passes over the split (a new order each); returns images per second.</summary>
    static double Passes(DataSplit split, InputNormalizer normalizer, int passes, long firstSeed)
    {
        var clock = Stopwatch.StartNew();
        long images = 0;
        var batches = Enumerable.Range(0, passes).SelectMany(pass => new BatchLoader(split, BatchSize, shuffle: true, firstSeed + pass).Batches());
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            using var stored = batch.Inputs;
            using var targets = batch.Targets;
            var x = normalizer.Apply(stored); // (B, 1, 28, 28) float32, as model(x) receives it
            images += x.shape[0];
        }
        return images / clock.Elapsed.TotalSeconds;
    }
}
