using Recipe.Data;
using Recipe.Checks;
using Recipe.Models;

namespace Recipe.Experiments;

/// <summary>One rung of a capacity ladder, as knob values: "cnn width 32" is {model: cnn, width: 32, depth: 1}.</summary>
public sealed record CapacityRung(string Name, IReadOnlyDictionary<string, string> Knobs)
{
    public override string ToString() => Name;

    /// <summary>
    /// The architecture the rung belongs to: stage 3 grows one architecture while its rungs help, then moves to the next.
    /// Null: the value of the rung's model knob, else the rung's own name (a user's ladder without a model knob: every
    /// rung its own architecture).
    /// </summary>
    public string? Architecture { get; init; }

    /// <summary>The architecture, with the defaults of <see cref="Architecture"/> applied.</summary>
    public string Family => Architecture ?? (Knobs.TryGetValue(DefaultKnobs.Model, out var model) ? model : Name);

    /// <summary>
    /// The zoo's ladder (<see cref="ModelLadder.For"/>) above the pipeline's current model, as Recipe's own knobs: the
    /// rungs after the one it matches, or after the last rung of the same model that is not larger when none matches
    /// exactly. A pipeline without Recipe's model knobs gets no rungs (it brings its own ladder).
    /// </summary>
    public static IReadOnlyList<CapacityRung> Above(Pipeline pipeline, Dataset data)
    {
        var knobs = pipeline.Knobs;
        if (!knobs.Declares(DefaultKnobs.Model) || !knobs.Declares(DefaultKnobs.Width)) return [];
        var ladder = ModelLadder.For(data);
        var current = new ModelChoice(knobs[DefaultKnobs.Model], knobs.Int(DefaultKnobs.Width), knobs.Declares(DefaultKnobs.Depth) ? knobs.Int(DefaultKnobs.Depth) : 1);
        // the rung it stands on: the last of its model that is not larger; else just below the first of its model that is
        int at = -1;
        for (int i = 0; i < ladder.Count; i++)
            if (ladder[i].Name == current.Name && ladder[i].Width <= current.Width && ladder[i].Depth <= current.Depth) at = i;
        if (at < 0 && ladder.ToList().FindIndex(r => r.Name == current.Name) is var first and >= 0) at = first - 1;
        return ladder.Skip(at + 1).Where(r => r != current).Select(Of).ToList();
    }

    public static CapacityRung Of(ModelChoice choice) => new(choice.ToString(), new Dictionary<string, string>
    {
        [DefaultKnobs.Model] = choice.Name,
        [DefaultKnobs.Width] = choice.Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [DefaultKnobs.Depth] = choice.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }) { Architecture = ModelLadder.Architecture(choice) };
}
