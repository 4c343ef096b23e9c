using System.Globalization;

namespace Recipe.Checks;

/// <summary>One named value a pipeline is built from (width, depth, learning rate, dropout, augmentation on/off…).</summary>
/// <param name="Value">As text, invariant culture ("0.0003", "32", "cnn", "on"), so any kind of value round-trips through summary.json.</param>
public sealed record Knob(string Name, string Value, string? Description = null);

/// <summary>A knob that the pipeline does not declare, or a value it cannot take: bad input, not a crash.</summary>
public sealed class UnknownKnobException(string message) : ArgumentException(message);

/// <summary>
/// The knobs a pipeline declares, in declaration order, with their current values. Stages change them only through
/// <see cref="With(IReadOnlyDictionary{string, string})"/>, which refuses a name the pipeline did not declare.
/// </summary>
public sealed class KnobValues
{
    readonly IReadOnlyList<Knob> _knobs;

    public KnobValues(IEnumerable<Knob> knobs)
    {
        _knobs = knobs.ToList();
        if (_knobs.GroupBy(k => k.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"knob '{twice.Key}' is declared twice");
    }

    public static KnobValues None { get; } = new([]);

    public IReadOnlyList<Knob> All => _knobs;
    public bool Declares(string name) => _knobs.Any(k => k.Name == name);

    public string this[string name] => _knobs.FirstOrDefault(k => k.Name == name)?.Value
        ?? throw new UnknownKnobException($"knob '{name}' is not declared by the pipeline; its knobs: {Names}");

    public double Double(string name) => double.Parse(this[name], CultureInfo.InvariantCulture);
    public int Int(string name) => int.Parse(this[name], CultureInfo.InvariantCulture);
    public bool Flag(string name) => this[name] is "on" or "true" or "1";

    /// <summary>These knobs with some values replaced; every name must be declared.</summary>
    public KnobValues With(IReadOnlyDictionary<string, string> changes)
    {
        foreach (var name in changes.Keys)
            if (!Declares(name)) throw new UnknownKnobException($"knob '{name}' is not declared by the pipeline; its knobs: {Names}");
        return new KnobValues(_knobs.Select(k => changes.TryGetValue(k.Name, out var value) ? k with { Value = value } : k));
    }

    public KnobValues With(string name, string value) => With(new Dictionary<string, string> { [name] = value });

    /// <summary>Knob values as text ("0.0003"), the same on every machine.</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public IReadOnlyDictionary<string, string> ToDictionary() => _knobs.ToDictionary(k => k.Name, k => k.Value);

    string Names => _knobs.Count == 0 ? "none" : string.Join(", ", _knobs.Select(k => k.Name));

    /// <summary>"model=cnn width=16 lr=0.0003".</summary>
    public override string ToString() => string.Join(" ", _knobs.Select(k => $"{k.Name}={k.Value}"));
}
