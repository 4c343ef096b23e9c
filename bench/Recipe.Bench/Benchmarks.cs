namespace Recipe.Bench;

/// <summary>The benchmarks, in the order `all` runs them. An explicit list: add new ones here.</summary>
public static class Benchmarks
{
    public static readonly IReadOnlyList<IBenchmark> All =
    [
        new LoaderBenchmark(),
        new TrainStepBenchmark(),
        new EndToEndBenchmark(),
        new PhaseBenchmark(),
        // Extension point: the cost of each check (stage 2) goes here, e.g. a ChecksBenchmark that
        // times the check suite and one training epoch (TrainStepBenchmark's Recipe trainer, full
        // epoch) in interleaved repeats and returns ResultRow("checks", "check suite ÷ one epoch (time)",
        // suite.Over(epoch), Target.Maximum(...)).
    ];
}
