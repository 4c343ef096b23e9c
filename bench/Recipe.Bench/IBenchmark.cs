namespace Recipe.Bench;

/// <summary>
/// One benchmark: a subcommand of Recipe.Bench that measures something and returns rows for the
/// shared table. To add one (e.g. "time of the check suite ÷ one training epoch"), implement this,
/// add it to <see cref="Benchmarks.All"/>, and return rows: values with <see cref="Sample"/>, ratios
/// with <see cref="Sample.Over"/> on interleaved repeats, goals with <see cref="Target"/>.
/// </summary>
public interface IBenchmark
{
    /// <summary>The subcommand: `dotnet run -c Release --project bench/Recipe.Bench -- NAME`.</summary>
    string Name { get; }
    string Description { get; }
    IReadOnlyList<ResultRow> Run(BenchOptions options);
}
