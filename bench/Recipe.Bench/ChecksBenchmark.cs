using System.Diagnostics;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Inspect;
using Recipe.Models;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Bench;

/// <summary>
/// The cost of stage 2: the full check suite on the default pipeline (small CNN, full Fashion-MNIST)
/// against one training epoch of the same pipeline, in alternating repeats, plus each check's own
/// time. Checks share their short training runs (built lazily), so the first check that needs one
/// pays for it: per-check times say where the suite's time goes, not what a check costs alone.
/// </summary>
public sealed class ChecksBenchmark : IBenchmark
{
    public string Name => "checks";
    public string Description => "stage 2 check suite time ÷ one training epoch (default pipeline, full Fashion-MNIST)";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        using var data = BenchData.LoadFashionMnist();
        using var normalizer = InputNormalizer.FitTo(data);
        var config = new TrainingConfig { Epochs = 1, BatchSize = 128, Seed = 0 };
        var pipeline = Pipeline.Default(data, normalizer, "cnn", config);
        var checkOptions = options.Quick ? CheckOptions.Quick : new CheckOptions();
        int repeats = options.RepeatsOr(2);

        var suiteSeconds = new List<double>();
        var epochSeconds = new List<double>();
        // CPU time of the process as well: on a shared machine the wall clock counts other people's work, and the load swings
        // between the epoch and the suite; the ratio of CPU times is the steadier of the two.
        var suiteCpu = new List<double>();
        var handedSeconds = new List<double>();
        var handedCpu = new List<double>();
        var epochCpu = new List<double>();
        var perCheck = new Dictionary<string, List<double>>();
        var perCheckCpu = new Dictionary<string, List<double>>();
        var sharedSeconds = new List<double>();
        var sharedCpu = new List<double>();
        var perSharedRun = new Dictionary<string, List<double>>();
        var perSharedRunCpu = new Dictionary<string, List<double>>();
        // A check's own breakdown, where its evidence times its steps (split-integrity: near_fingerprints_seconds, ...).
        var steps = new Dictionary<string, List<double>>();
        for (int r = 0; r < repeats; r++)
        {
            var epochStart = CpuClock.Now();
            epochSeconds.Add(OneEpoch(pipeline, data, normalizer, config));
            epochCpu.Add(CpuClock.Now().CpuSeconds - epochStart.CpuSeconds);
            void Cold()
            {
                var suiteStart = CpuClock.Now();
                var clock = Stopwatch.StartNew();
                var result = CheckSuite.Run(pipeline, checkOptions);
                suiteSeconds.Add(clock.Elapsed.TotalSeconds);
                suiteCpu.Add(CpuClock.Now().CpuSeconds - suiteStart.CpuSeconds);
                foreach (var check in result.Checks)
                {
                    Add(perCheck, check.Id, check.Elapsed.TotalSeconds);
                    Add(perCheckCpu, check.Id, check.CpuTime.TotalSeconds);
                    foreach (var (name, value) in check.Evidence.Numbers.Where(n => n.Key.EndsWith("_seconds", StringComparison.Ordinal)))
                        Add(steps, $"{check.Id}: {name}", value);
                }
                sharedSeconds.Add(result.Checks.Sum(c => c.SharedRunTime.TotalSeconds));
                sharedCpu.Add(result.Checks.Sum(c => c.SharedRunCpuTime.TotalSeconds));
                foreach (var (run, time) in result.SharedRuns) Add(perSharedRun, run, time.TotalSeconds);
                foreach (var (run, time) in result.SharedRunsCpu) Add(perSharedRunCpu, run, time.TotalSeconds);
            }
            void Handed()
            {
                // As in `recipe run`: stage 1 has fingerprinted the same images, and split-integrity takes them (computed here, untimed).
                using (var handOff = new FingerprintHandOff())
                {
                    var nearOptions = new NearDuplicateOptions();
                    handOff.Keep(data.Splits.ToArray(), nearOptions, ImageFingerprints.Compute(ExampleNumbering.Of(data), nearOptions));
                    var handedStart = CpuClock.Now();
                    var handedClock = Stopwatch.StartNew();
                    CheckSuite.Run(pipeline, checkOptions with { StageOneFingerprints = handOff });
                    handedSeconds.Add(handedClock.Elapsed.TotalSeconds);
                    handedCpu.Add(CpuClock.Now().CpuSeconds - handedStart.CpuSeconds);
                }
            }
            // The first suite of the process also pays for JIT compilation and first-touch memory: the two variants take turns going first.
            if (r % 2 == 0) { Cold(); Handed(); }
            else { Handed(); Cold(); }
            Log.Line($"checks: repeat {r + 1}/{repeats}: suite {suiteSeconds[^1]:F1} s ({suiteCpu[^1]:F1} s CPU), epoch {epochSeconds[^1]:F1} s ({epochCpu[^1]:F1} s CPU), " +
                     $"suite with stage 1's fingerprints {handedSeconds[^1]:F1} s ({handedCpu[^1]:F1} s CPU)");
        }

        var suite = new Sample("s", suiteSeconds);
        var epoch = new Sample("s", epochSeconds);
        var rows = new List<ResultRow>
        {
            new(Name, "check suite, s", suite),
            new(Name, $"one training epoch ({data.Train.Count:N0} images, batch 128), s", epoch),
            new(Name, "check suite ÷ one epoch (time)", suite.Over(epoch)),
            new(Name, "check suite ÷ one epoch (CPU time of the process)", new Sample("s", suiteCpu).Over(new Sample("s", epochCpu))),
            new(Name, "check suite with stage 1's image fingerprints handed over (as in recipe run), s", new Sample("s", handedSeconds)),
            new(Name, "  the same ÷ one epoch (time)", new Sample("s", handedSeconds).Over(epoch)),
            new(Name, "  the same ÷ one epoch (CPU time of the process)", new Sample("s", handedCpu).Over(new Sample("s", epochCpu))),
        };
        rows.Add(new ResultRow(Name, "  shared short runs (model, zeroed inputs, larger model: trained once, read by several checks), s", new Sample("s", sharedSeconds)));
        rows.Add(new ResultRow(Name, "  shared short runs, CPU s", new Sample("s", sharedCpu)));
        foreach (var (run, seconds) in perSharedRun.OrderByDescending(p => p.Value.Max()))
        {
            rows.Add(new ResultRow(Name, $"    {run} (shared), s", new Sample("s", seconds)));
            if (perSharedRunCpu.TryGetValue(run, out var cpu)) rows.Add(new ResultRow(Name, $"    {run} (shared), CPU s", new Sample("s", cpu)));
        }
        foreach (var (id, seconds) in perCheck.OrderByDescending(p => p.Value.Max()))
        {
            rows.Add(new ResultRow(Name, $"  {id} (its own time), s", new Sample("s", seconds)));
            rows.Add(new ResultRow(Name, $"  {id} (its own time), CPU s", new Sample("s", perCheckCpu[id])));
        }
        rows.AddRange(steps.Select(p => new ResultRow(Name, $"    {p.Key}, s", new Sample("s", p.Value))));
        return rows;
    }

    static void Add(Dictionary<string, List<double>> series, string key, double value) =>
        (series.TryGetValue(key, out var list) ? list : series[key] = []).Add(value);

    static double OneEpoch(Pipeline pipeline, Dataset data, InputNormalizer normalizer, TrainingConfig config)
    {
        Seeding.Apply(config.Seed);
        using var model = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        var context = pipeline.ContextFor(model, setup, normalizer, config with { EvaluateValidation = false });
        var clock = Stopwatch.StartNew();
        new Trainer().Fit(context);
        return clock.Elapsed.TotalSeconds;
    }
}
