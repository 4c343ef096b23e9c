using Recipe.Data;

namespace Recipe.Checks;

/// <summary>What `recipe check --pipeline` hands a provider: the data named by --data, loaded, and the seed.</summary>
public sealed record PipelineRequest(Dataset Data, long Seed);

/// <summary>
/// Implement this in a class library compiled against Recipe to run every stage-2 check on your own
/// model, loss, input transform, augmentation and optimizer/schedule:
/// <c>recipe check --pipeline bin/Release/net10.0/MyPipeline.dll --data my-data</c>.
/// The class needs a public parameterless constructor. See examples/ExamplePipeline.
/// </summary>
public interface IPipelineProvider
{
    Pipeline Create(PipelineRequest request);
}
