using System.Text.Json.Nodes;
using Recipe.Reporting;

namespace Recipe.Experiments;

/// <summary>
/// The experiments of a run, in order: the recipe's story from the skeleton to the final model. Listeners hear each
/// experiment as it finishes (the screen); summary.json's `experiments` holds every entry and reads back with <see cref="FromSummary"/>.
/// </summary>
public sealed class ExperimentLog
{
    readonly List<Experiment> _experiments = [];

    /// <summary>Called with each experiment as it is added.</summary>
    public event Action<Experiment>? Finished;

    public IReadOnlyList<Experiment> All => _experiments;
    public int NextNumber => _experiments.Count + 1;

    public void Add(Experiment experiment)
    {
        _experiments.Add(experiment);
        Finished?.Invoke(experiment);
    }

    /// <summary>The entries as summary.json stores them.</summary>
    public JsonNode ToSummary() => JsonNode.Parse(Summary.Serialize(_experiments))!;

    /// <summary>The log stored in a summary.json (its `experiments` array).</summary>
    public static IReadOnlyList<Experiment> FromSummary(JsonNode experiments) => Summary.Deserialize<List<Experiment>>(experiments);
}
