namespace Recipe.Bench;

/// <summary>The benchmarks, in the order `all` runs them. An explicit list: add new ones here.</summary>
public static class Benchmarks
{
    public static readonly IReadOnlyList<IBenchmark> All =
    [
        new LoaderBenchmark(),
        new AuditBenchmark(),
        new TrainStepBenchmark(),
        new OverheadBenchmark(),
        new EndToEndBenchmark(),
        new PhaseBenchmark(),
        new OptimizerBenchmark(),
        new ChecksBenchmark(),
        new CnnLayoutBenchmark(),
        .. ZooBenchmark.Parts,
        new LabelErrorsBenchmark(),
        new TextStepBenchmark(),
    ];
}
