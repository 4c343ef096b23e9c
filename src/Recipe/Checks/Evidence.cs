namespace Recipe.Checks;

/// <summary>
/// What a check measured: named numbers, the conditions applied to them, pictures, tables and notes.
/// Numbers marked as metrics also appear in the stage's metrics (e.g. the dumb baselines' accuracies).
/// </summary>
public sealed class Evidence
{
    readonly List<KeyValuePair<string, double>> _numbers = [];
    readonly List<string> _metrics = [];
    readonly List<ConditionOutcome> _conditions = [];
    readonly List<Picture> _pictures = [];
    readonly List<EvidenceTable> _tables = [];
    readonly List<string> _notes = [];

    /// <summary>Measured numbers in the order they were recorded (snake_case names).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Numbers => _numbers;
    /// <summary>Names of the numbers that are also stage metrics.</summary>
    public IReadOnlyList<string> MetricNames => _metrics;
    public IReadOnlyList<ConditionOutcome> Conditions => _conditions;
    public IReadOnlyList<Picture> Pictures => _pictures;
    public IReadOnlyList<EvidenceTable> Tables => _tables;
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The worst verdict of the conditions applied so far (pass when none).</summary>
    public Verdict Verdict => _conditions.Aggregate(Verdict.Pass, (worst, c) => Verdicts.Worse(worst, c.Verdict));

    public double this[string name] => _numbers.Last(n => n.Key == name).Value;

    public Evidence Number(string name, double value)
    {
        _numbers.Add(new(name, value));
        return this;
    }

    /// <summary>A number that is also reported among the stage's metrics.</summary>
    public Evidence Metric(string name, double value)
    {
        _metrics.Add(name);
        return Number(name, value);
    }

    /// <summary>Applies a condition to a measured value; returns whether it held.</summary>
    public bool Test(Condition condition, double value)
    {
        var outcome = condition.Test(value);
        _conditions.Add(outcome);
        return outcome.Verdict == Verdict.Pass;
    }

    public Evidence Picture(byte[] png, string caption)
    {
        _pictures.Add(new Picture(caption, png));
        return this;
    }

    public Evidence Table(string title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _tables.Add(new EvidenceTable(title, header, rows.ToList()));
        return this;
    }

    public Evidence Note(string text)
    {
        _notes.Add(text);
        return this;
    }
}
