using Recipe.Bench.Corpus.Pipelines;

namespace Recipe.Bench.Corpus;

/// <summary>Every pipeline of the corpus, in a fixed order: images, tables, text, signals.</summary>
public static class Corpus
{
    public static IReadOnlyList<CorpusEntry> All { get; } =
        [.. ImagePipelines.All(), .. TablePipelines.All(), .. TextPipelines.All(), .. SignalPipelines.All()];

    public static CorpusEntry ByName(string name) => All.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"no corpus pipeline '{name}'");
}
