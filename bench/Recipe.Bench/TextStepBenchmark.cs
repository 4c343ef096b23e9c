using System.Diagnostics;
using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Bench;

/// <summary>
/// Where a text training step's time goes (issue 9's note: words stepped ~1.6× slower than its size predicts): for the
/// character models on words and on the license texts, the milliseconds of each phase of one step (batch gather, forward,
/// loss with ignore_index, backward, Adam) beside the forward multiply-adds that <see cref="TrainingLength"/> counts, so
/// the per-step cost the step budget assumes can be compared with the measured one; and the same with each batch cut to
/// its longest line (the padding past it is ignored by the loss and unseen by a causal model).
/// </summary>
public sealed class TextStepBenchmark : IBenchmark
{
    const int Batch = 128;

    public string Name => "text-steps";
    public string Description => "text training step profile: ms per phase and per multiply-add for charconv/gru/transformer on words and license texts, full vs trimmed padding";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        var rows = new List<ResultRow>();
        if (Environment.GetEnvironmentVariable("RECIPE_BENCH_MICRO") is not null) { Micro(); return rows; }
        int steps = options.Quick ? 5 : 40;
        var sources = new List<string> { "words" };
        string licenses = Path.Combine(AppContext.BaseDirectory, "../../../../../.build/datasets/licenses.txt");
        string? fromEnv = Environment.GetEnvironmentVariable("RECIPE_BENCH_TEXT");
        if (fromEnv is not null) sources.Add(fromEnv);
        else if (File.Exists(licenses)) sources.Add(licenses);
        foreach (var source in sources)
        {
            using var data = DataSpec.Load(source);
            foreach (var rung in new ModelChoice[] { new("charconv", 64), new("gru", 128), new("transformer", 64, 2) })
                foreach (bool trim in new[] { false, true })
                    rows.Add(Profile(data, rung, steps, trim));
        }
        return rows;
    }

    static ResultRow Profile(Dataset data, ModelChoice rung, int steps, bool trim)
    {
        Seeding.Apply(0);
        using var model = ModelFactory.Create(rung, data);
        long multiplyAdds = TrainingLength.MultiplyAddsPerExample(model, x => x.alias(), data.Train);
        using var optimizer = new FusedAdam(model.parameters(), 2e-3);
        var loader = new BatchLoader(data.Train, Batch, shuffle: true, seed: 0);
        var phase = new double[5];
        var clock = new Stopwatch();
        int done = 0;
        long positions = 0;
        model.train();
        foreach (var (rawX, rawY) in loader.Batches())
        {
            using var scope = NewDisposeScope();
            clock.Restart();
            var (x, y) = trim ? TrimToLongest(rawX, rawY) : (rawX, rawY);
            positions += x.shape[1];
            double gather = clock.Elapsed.TotalMilliseconds;
            var output = model.call(x);
            double forward = clock.Elapsed.TotalMilliseconds;
            var loss = Losses.For(data.Task, output, y);
            double lossDone = clock.Elapsed.TotalMilliseconds;
            optimizer.zero_grad();
            loss.backward();
            double backward = clock.Elapsed.TotalMilliseconds;
            optimizer.step();
            double step = clock.Elapsed.TotalMilliseconds;
            if (done > 0) // the first step warms up
            {
                phase[0] += gather; phase[1] += forward - gather; phase[2] += lossDone - forward; phase[3] += backward - lossDone; phase[4] += step - backward;
            }
            if (++done > steps) break;
        }
        double total = phase.Sum() / steps;
        string parts = $"gather {phase[0] / steps:F1}, forward {phase[1] / steps:F1}, loss {phase[2] / steps:F1}, backward {phase[3] / steps:F1}, adam {phase[4] / steps:F1} ms";
        double perGigaMac = total / (multiplyAdds * (double)Batch / 1e9);
        string line = $"{data.Name}: {rung}{(trim ? ", trimmed to the batch's longest line" : "")}: {total:F1} ms/step ({parts}); {multiplyAdds:N0} MA/example at T={data.ExampleShape[0]}, mean T {positions / (double)(done):F1}; {perGigaMac:F1} ms per forward GMA·batch";
        Log.Line("text-steps: " + line);
        return new ResultRow("text-steps", line, new Sample("ms", [total]));
    }

    static void Micro()
    {
        foreach (long t in new long[] { 24, 83 })
            foreach (long dilation in new long[] { 4, 16 })
            {
                Seeding.Apply(0);
                using var conv = nn.Conv1d(64, 64, 2, dilation: dilation);
                var h = randn(128, 64, t).requires_grad_(true);
                var hT = randn(128, t, 64).requires_grad_(true);
                double Time(Func<Tensor> f)
                {
                    for (int i = 0; i < 3; i++) { using var s0 = NewDisposeScope(); f().sum().backward(); }
                    var c = Stopwatch.StartNew();
                    for (int i = 0; i < 20; i++) { using var s0 = NewDisposeScope(); f().sum().backward(); }
                    return c.Elapsed.TotalMilliseconds / 20;
                }
                double viaConv = Time(() => conv.call(nn.functional.pad(h, [dilation, 0])));
                var w0 = conv.weight!.select(2, 0); var w1 = conv.weight!.select(2, 1);
                double viaMatmul = Time(() =>
                {
                    var shifted = nn.functional.pad(hT, [0, 0, dilation, 0]).narrow(1, 0, t);
                    return nn.functional.linear(shifted, w0) + nn.functional.linear(hT, w1, conv.bias);
                });
                double viaCat = Time(() =>
                {
                    var shifted = nn.functional.pad(hT, [0, 0, dilation, 0]).narrow(1, 0, t);
                    return nn.functional.linear(cat([shifted, hT], 2), cat([w0, w1], 1), conv.bias);
                });
                Log.Line($"micro: T={t} dilation {dilation}: conv1d {viaConv:F2} ms, two matmuls {viaMatmul:F2} ms, one matmul {viaCat:F2} ms (fwd+bwd)");
            }
    }

    /// <summary>The columns up to the batch's last target that is not ignored.</summary>
    static (Tensor X, Tensor Y) TrimToLongest(Tensor x, Tensor y)
    {
        long used = y.ne(Losses.IgnoreIndex).any(0).nonzero().max().item<long>() + 1;
        return (x.narrow(1, 0, used), y.narrow(1, 0, used));
    }
}
