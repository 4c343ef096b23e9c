using System.Diagnostics;
using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Bench;

/// <summary>
/// Stage 1's image audit (per-example statistics, exact and near duplicates within and across splits,
/// conflicting labels, findings) on the data in memory: the first 10,000 of Fashion-MNIST's 70,000
/// images and all of them, taking turns, and how the time grows between the two (7.00 would be
/// exactly linear; an all-pairs near-duplicate search would be ~49). `recipe inspect` runs the audit
/// as here, with one torch thread; the log gives each repeat's time per audit phase. Reading the files and
/// writing the report are in the e2e phase rows; bench/Recipe.Bench.Inspect times the whole command and
/// measures the near-duplicate recall.
/// </summary>
public sealed class AuditBenchmark : IBenchmark
{
    static readonly int[] Sizes = [10_000, 70_000];

    public string Name => "audit";
    public string Description => "stage 1's image audit of 10,000 and 70,000 Fashion-MNIST images, and its growth";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        using var full = BenchData.LoadFashionMnist();
        int available = full.Splits.Sum(s => s.Count);
        if (available < Sizes[^1])
            return [ResultRow.Missing("audit", "audit of 70,000 images", $"only {available:N0} images: install Debian's dataset-fashion-mnist (tools/install-test-data)")];
        var inspect = new InspectOptions();
        using (var warm = full.Head(2_000)) GrayChunks.SingleThreadedTorch(() => ImageAudit.Run(warm, inspect)); // JIT, kernels: untimed

        int repeats = options.RepeatsOr(5);
        var seconds = Sizes.ToDictionary(s => s, _ => new List<double>());
        for (int r = 0; r < repeats; r++)
            foreach (var size in r % 2 == 0 ? Sizes : Sizes.AsEnumerable().Reverse()) // taking turns
            {
                using var part = full.Head(size);
                var clock = Stopwatch.StartNew();
                var audit = GrayChunks.SingleThreadedTorch(() => ImageAudit.Run(part, inspect));
                seconds[size].Add(clock.Elapsed.TotalSeconds);
                Log.Line($"audit: repeat {r + 1}/{repeats}: {size:N0} images: {seconds[size][^1]:F2} s " +
                         $"({string.Join(", ", audit.Seconds.Select(p => $"{p.Key} {p.Value:F2}"))}; near duplicates: " +
                         $"{string.Join(", ", audit.NearDuplicates.Seconds.Select(p => $"{p.Key} {p.Value:F2}"))}; " +
                         $"{audit.NearDuplicates.Compared / 1e6:F0}M descriptor comparisons, {audit.NearDuplicates.Pairs.Count} pairs; {audit.ExactGroups.Count} exact groups)");
            }

        var small = new Sample("s", seconds[Sizes[0]]);
        var large = new Sample("s", seconds[Sizes[1]]);
        return
        [
            new ResultRow("audit", $"stage 1 image audit of {Sizes[0]:N0} images, s (statistics, exact and near duplicates, findings; 1 torch thread)", small),
            new ResultRow("audit", $"stage 1 image audit of {Sizes[1]:N0} images, s", large),
            new ResultRow("audit", $"growth, {Sizes[1]:N0} ÷ {Sizes[0]:N0} images (time; 7.00 = linear)", large.Over(small)),
        ];
    }
}
