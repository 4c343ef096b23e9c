using Recipe.Data;

namespace Recipe.Checks;

/// <summary>
/// What `recipe check --pipeline` hands a provider: the data named by --data, and the seed. The data is loaded
/// the first time <see cref="Data"/> is read, so a provider that builds its own <see cref="Dataset"/> needs no
/// valid --data (and the checks and the report describe the provider's data).
/// </summary>
public sealed class PipelineRequest
{
    readonly Lazy<Dataset> _data;

    public PipelineRequest(Dataset Data, long Seed) : this(() => Data, Seed) { }

    /// <summary>A request whose data is loaded by <paramref name="loadData"/> on first use.</summary>
    public PipelineRequest(Func<Dataset> loadData, long Seed)
    {
        _data = new Lazy<Dataset>(loadData);
        this.Seed = Seed;
    }

    /// <summary>The data named by --data, loaded on first use.</summary>
    public Dataset Data => _data.Value;
    /// <summary>The seed given with --seed (0 when none was given); the checks run with the pipeline's own Training.Seed unless --seed was given.</summary>
    public long Seed { get; }
    /// <summary>Whether the provider read <see cref="Data"/>.</summary>
    public bool DataWasRead => _data.IsValueCreated;
}

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
