using Recipe.Checks;

namespace Recipe.Bench.Corpus;

/// <summary>
/// The corpus pipelines that must be checked through `recipe check --pipeline` in a process of their own
/// (their bug is randomness drawn once per process). The provider ignores --data: the pipeline brings its data.
/// </summary>
public sealed class FashionUnseededSubsampleProvider : IPipelineProvider
{
    public Pipeline Create(PipelineRequest request) => Corpus.ByName("fashion-unseeded-subsample").Build();
}
