using Recipe.Data;

namespace Recipe.Bench;

/// <summary>
/// The trainer's own cost, measured as finely as a shared machine allows. The `train` benchmark's
/// Trainer ÷ bare ratio moves ±4% from run to run because whole runs meet different machine load;
/// a 3% target needs a finer instrument. Here the bare loop runs in lockstep with the trainer (one
/// bare step inside the trainer's last hook after each trainer step, <see cref="LockstepHook"/>), so
/// the two alternate step by step, each step timed by the CPU clock of the thread that trains (with
/// one torch thread every kernel runs on it; the JIT's and GC's threads and other people's processes
/// are not counted). A run's ratio compares its median trainer step with its median bare step (a step
/// slowed by a burst of someone else's work moves neither), and each run is one observation. The
/// table shows the median ratio with a distribution-free 95% confidence interval, and checks the
/// target on the interval's lower end: met only if the data rule out a trainer more than 3% slower.
/// </summary>
public sealed class OverheadBenchmark : IBenchmark
{
    public string Name => "overhead";
    public string Description => "the trainer's own cost: Recipe Trainer ÷ bare loop, steps in lockstep, thread CPU time";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        if (!OperatingSystem.IsLinux())
            return [ResultRow.Missing("overhead", "Recipe Trainer ÷ bare loop, thread CPU time", "needs Linux's CLOCK_THREAD_CPUTIME_ID")];
        if (options.Threads != 1)
            return [ResultRow.Missing("overhead", "Recipe Trainer ÷ bare loop, thread CPU time", "with more than one torch thread kernels run on other threads too; run with --threads 1")];

        using var data = BenchData.LoadFashionMnist();
        using var normalizer = InputNormalizer.FitTo(data);
        var trainer = new RecipeTrainerVariant(data, normalizer, keepFreedNativeMemory: !options.MallocDefaults, options.TrainerDelayMicroseconds);
        if (options.TrainerDelayMicroseconds > 0)
            Log.Line($"overhead: FAULT INJECTED: the trainer burns {options.TrainerDelayMicroseconds} µs per step; this run tests the instrument, it is not a measurement");
        var rows = new List<ResultRow>();
        foreach (var model in ShortRuns(options))
        {
            // warm-up: long enough for tiered compilation to settle both loops at full optimization
            for (int i = 0; i < 3; i++)
            {
                using var warmupStepper = new BareStepper(model, 1000 + i, data.Train, normalizer);
                trainer.Run(model, 1000 + i, new LockstepHook(warmupStepper, model.WarmupSteps), evaluateValidation: false);
            }

            int runs = options.Quick ? 6 : 41;
            var ratios = new List<double>();
            var ownMicroseconds = new List<double>();
            for (int run = 0; run < runs; run++)
            {
                // the same seed on both sides: the same weights and the same batches, step by step
                using var bareStepper = new BareStepper(model, run, data.Train, normalizer);
                var lockstep = new LockstepHook(bareStepper, model.WarmupSteps);
                trainer.Run(model, run, lockstep, evaluateValidation: false);
                // a run's typical step is its median step: a step that a burst of someone else's work slowed is not typical
                double trainerStep = new Sample("s", lockstep.TrainerSteps).Median, bareStep = new Sample("s", lockstep.BareSteps).Median;
                ratios.Add(bareStep / trainerStep); // a speed ratio: above 1 when the trainer's steps are the shorter
                ownMicroseconds.Add((trainerStep - bareStep) * 1e6);
                Log.Line($"overhead {model.Name}: run {run + 1}/{runs}: trainer ÷ bare {ratios[^1]:F4}, {ownMicroseconds[^1]:F1} µs per step");
            }

            var ratio = new Sample("ratio", ratios);
            var (low, high) = ratio.MedianInterval95();
            string bench = options.TrainerDelayMicroseconds > 0 ? $"overhead {model.Name} (+{options.TrainerDelayMicroseconds} µs injected)" : $"overhead {model.Name}";
            rows.Add(new ResultRow(bench, $"Recipe Trainer ÷ bare loop, speed, steps in lockstep, median over {runs} runs of {model.TimedSteps} timed steps (each run's median step, thread CPU time; {model.Description})", ratio));
            rows.Add(new ResultRow(bench, $"  the same, lower end of the median's 95% confidence interval (upper end {Format.Number(high)})",
                new Sample("ratio", [low]), Target.Minimum(0.97)));
            rows.Add(new ResultRow(bench, "  the trainer's own cost, µs of thread CPU time per step (trainer's median step − bare loop's, per run)",
                new Sample("µs", ownMicroseconds)));
        }
        return rows;
    }

    /// <summary>Runs of ~0.5 s (MLP, 150 timed steps a side) and ~1 s (CNN, 20): many runs matter more than long ones.</summary>
    static IEnumerable<BenchModel> ShortRuns(BenchOptions options) =>
        BenchModel.For(options).Select(m => m with { TimedSteps = options.Quick ? m.TimedSteps : m.Name == "mlp" ? 150 : 20 });
}
