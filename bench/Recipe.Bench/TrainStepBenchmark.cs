using Recipe.Data;
using TorchSharp;

namespace Recipe.Bench;

/// <summary>
/// Training steps per second, side by side: Recipe's trainer with its always-on hooks, a bare
/// TorchSharp loop, and PyTorch, on the same models, data, batch size and thread count. The variants
/// take turns (round r starts with variant r mod 3: A B C, B C A, C A B, ...), so that a burst of load
/// from someone else's build hits them all alike; ratios are taken within each round.
/// </summary>
public sealed class TrainStepBenchmark : IBenchmark
{
    public string Name => "train";
    public string Description => "training steps/s: Recipe Trainer vs bare TorchSharp loop vs PyTorch";

    public IReadOnlyList<ResultRow> Run(BenchOptions options)
    {
        using var data = BenchData.LoadFashionMnist();
        using var normalizer = InputNormalizer.FitTo(data);
        var trainer = new RecipeTrainerVariant(data, normalizer, keepFreedNativeMemory: !options.MallocDefaults);
        var bare = new BareLoopVariant(data.Train, normalizer);
        using var pytorch = PyTorchVariant.TryStart(options, out string whyNoPyTorch);
        Log.Line($"train: torch threads: TorchSharp {torch.get_num_threads()}" +
                 (pytorch is null ? $"; PyTorch missing: {whyNoPyTorch}" : $", {pytorch.Label} {pytorch.Threads} (BLAS {pytorch.Blas})"));
        IStepVariant[] variants = pytorch is null ? [trainer, bare] : [trainer, bare, pytorch];

        var rows = new List<ResultRow>();
        int rounds = options.RepeatsOr(21);
        foreach (var model in BenchModel.For(options))
        {
            var speeds = variants.ToDictionary(v => v, _ => new List<StepSpeed>());
            foreach (var variant in variants) variant.Run(model with { TimedSteps = 1 }, seed: 99); // warm-up: JIT, allocator, caches
            for (int round = 0; round < rounds; round++)
                for (int i = 0; i < variants.Length; i++)
                {
                    var variant = variants[(round + i) % variants.Length];
                    var speed = variant.Run(model, seed: round);
                    speeds[variant].Add(speed);
                    Log.Line($"train {model.Name}: round {round + 1}/{rounds}: {variant.Label}: {speed.PerWallSecond:F1} steps/s, {speed.PerCpuSecond:F1} per CPU-second");
                }

            string bench = $"train {model.Name}";
            Sample Wall(IStepVariant v) => new("steps/s", speeds[v].Select(s => s.PerWallSecond).ToArray());
            Sample Cpu(IStepVariant v) => new("steps/CPU-s", speeds[v].Select(s => s.PerCpuSecond).ToArray());
            rows.Add(new ResultRow(bench, $"{trainer.Label} + always-on hooks, steps/s ({model.Description}, batch {BenchModel.BatchSize})", Wall(trainer)));
            rows.Add(new ResultRow(bench, $"{bare.Label}, steps/s", Wall(bare)));
            rows.Add(pytorch is null
                ? ResultRow.Missing(bench, "PyTorch, steps/s", whyNoPyTorch)
                : new ResultRow(bench, $"{pytorch.Label}, steps/s", Wall(pytorch)));
            rows.Add(new ResultRow(bench, $"{trainer.Label} ÷ bare loop, speed", Wall(trainer).Over(Wall(bare)), Target.Minimum(0.97)));
            rows.Add(new ResultRow(bench, $"{trainer.Label} ÷ bare loop, speed per CPU-second (cross-check)", Cpu(trainer).Over(Cpu(bare))));
            if (pytorch is null) continue;
            rows.Add(new ResultRow(bench, $"{trainer.Label} ÷ PyTorch, speed", Wall(trainer).Over(Wall(pytorch)), Target.Minimum(1.2)));
            rows.Add(new ResultRow(bench, $"{trainer.Label} ÷ PyTorch, speed per CPU-second (cross-check)", Cpu(trainer).Over(Cpu(pytorch))));
            rows.Add(new ResultRow(bench, "bare loop ÷ PyTorch, speed", Wall(bare).Over(Wall(pytorch))));
        }
        return rows;
    }
}
