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
        var trainer = new RecipeTrainerVariant(data, normalizer);
        var bare = new BareLoopVariant(data.Train, normalizer);
        using var pytorch = PyTorchVariant.TryStart(options, out string whyNoPyTorch);
        if (pytorch is not null) Log.Line($"train: {pytorch.Label}, BLAS {pytorch.Blas}");
        IStepVariant[] variants = pytorch is null ? [trainer, bare] : [trainer, bare, pytorch];
        Log.Line($"train: torch threads {torch.get_num_threads()} (TorchSharp) = {options.Threads} (PyTorch)");

        var rows = new List<ResultRow>();
        int rounds = options.RepeatsOr(5);
        foreach (var model in BenchModel.For(options))
        {
            var speeds = variants.ToDictionary(v => v, _ => new List<double>());
            foreach (var variant in variants) variant.StepsPerSecond(model with { TimedSteps = 1 }, seed: 99); // warm-up
            for (int round = 0; round < rounds; round++)
                for (int i = 0; i < variants.Length; i++)
                {
                    var variant = variants[(round + i) % variants.Length];
                    speeds[variant].Add(variant.StepsPerSecond(model, seed: round));
                    Log.Line($"train {model.Name}: round {round + 1}/{rounds}: {variant.Label}: {speeds[variant][^1]:F1} steps/s");
                }

            string bench = $"train {model.Name}";
            Sample Of(IStepVariant v) => new("steps/s", speeds[v]);
            rows.Add(new ResultRow(bench, $"{trainer.Label} + always-on hooks, steps/s ({model.Description}, batch {BenchModel.BatchSize})", Of(trainer)));
            rows.Add(new ResultRow(bench, $"{bare.Label}, steps/s", Of(bare)));
            rows.Add(pytorch is null
                ? ResultRow.Missing(bench, "PyTorch, steps/s", whyNoPyTorch)
                : new ResultRow(bench, $"{pytorch.Label}, steps/s", Of(pytorch)));
            rows.Add(new ResultRow(bench, $"{trainer.Label} ÷ bare loop (speed)", Of(trainer).Over(Of(bare)), Target.Minimum(0.97)));
            if (pytorch is not null)
            {
                rows.Add(new ResultRow(bench, $"{trainer.Label} ÷ PyTorch (speed)", Of(trainer).Over(Of(pytorch)), Target.Minimum(1.2)));
                rows.Add(new ResultRow(bench, "bare loop ÷ PyTorch (speed)", Of(bare).Over(Of(pytorch))));
            }
        }
        return rows;
    }
}
