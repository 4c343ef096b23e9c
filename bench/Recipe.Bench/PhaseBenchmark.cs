using System.Diagnostics;
using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Recipe.Bench;

/// <summary>
/// Where a training step's time goes: the bare loop's step cut into phases (data: gather and
/// normalize; forward with the loss; backward; optimizer: zero_grad and FusedAdam's step), each timed with
/// a stopwatch. CPU kernels run synchronously, so a phase's time is its own.
/// </summary>
public sealed class PhaseBenchmark : IBenchmark
{
    static readonly string[] Phases = ["data", "forward + loss", "backward", "optimizer"];
    /// <summary>Not a phase: minor page faults per step, the symptom <see cref="Recipe.Training.NativeHeap"/> removes.</summary>
    const string Faults = "page faults";

    public string Name => "phases";
    public string Description => "where a bare training step's time goes (ms in data, forward, backward, optimizer) and its page faults";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        using var data = BenchData.LoadFashionMnist();
        using var normalizer = InputNormalizer.FitTo(data);
        var rows = new List<ResultRow>();
        int rounds = options.RepeatsOr(3);
        foreach (var model in BenchModel.For(options))
        {
            var milliseconds = Phases.Append(Faults).ToDictionary(p => p, _ => new List<double>());
            for (int round = 0; round < rounds; round++)
            {
                var perStep = TimePhases(model, data.Train, normalizer, seed: round);
                for (int p = 0; p < Phases.Length; p++) milliseconds[Phases[p]].Add(perStep[p]);
                milliseconds[Faults].Add(perStep[^1]);
                Log.Line($"phases {model.Name}: round {round + 1}/{rounds}: " +
                         string.Join(", ", Phases.Select((name, p) => $"{name} {perStep[p]:F2} ms")) + $", {perStep[^1]:F0} page faults");
            }
            foreach (var phase in Phases)
                rows.Add(new ResultRow($"phases {model.Name}", $"{phase}, ms per step", new Sample("ms", milliseconds[phase])));
            rows.Add(new ResultRow($"phases {model.Name}", "minor page faults per step", new Sample("faults", milliseconds[Faults])));
        }
        return rows;
    }

    /// <summary>Milliseconds per timed step in each phase, in the order of <see cref="Phases"/>, then page faults per step.</summary>
    static double[] TimePhases(BenchModel model, DataSplit train, InputNormalizer normalizer, long seed)
    {
        torch.manual_seed(seed);
        using var net = model.Create();
        using var optimizer = new Recipe.Training.FusedAdam(net.parameters(), BenchModel.LearningRate); // as the bare loop
        using var generator = new Generator((ulong)seed);
        using var order = randperm(train.Count, generator: generator);
        var ticks = new long[Phases.Length];
        long faults = 0;
        net.train();
        for (int step = 0; step < model.WarmupSteps + model.TimedSteps; step++)
        {
            bool timed = step >= model.WarmupSteps;
            if (step == model.WarmupSteps) faults = PageFaults.Minor();
            using var scope = NewDisposeScope();
            long t0 = Stopwatch.GetTimestamp();
            var index = order.narrow(0, step * BenchModel.BatchSize, BenchModel.BatchSize);
            var x = normalizer.Apply(train.Inputs.index_select(0, index));
            var y = train.Targets.index_select(0, index);
            long t1 = Stopwatch.GetTimestamp();
            var loss = cross_entropy(net.call(x), y);
            long t2 = Stopwatch.GetTimestamp();
            loss.backward();
            long t3 = Stopwatch.GetTimestamp();
            optimizer.zero_grad();
            optimizer.step();
            long t4 = Stopwatch.GetTimestamp();
            if (!timed) continue;
            ticks[0] += t1 - t0; ticks[1] += t2 - t1; ticks[2] += t3 - t2; ticks[3] += t4 - t3;
        }
        double faultsPerStep = (PageFaults.Minor() - faults) / (double)model.TimedSteps;
        return [.. ticks.Select(t => t * 1000.0 / Stopwatch.Frequency / model.TimedSteps), faultsPerStep];
    }
}
