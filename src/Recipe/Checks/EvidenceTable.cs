namespace Recipe.Checks;

/// <summary>A small table in a check's evidence (e.g. decoded rows, per-layer gradient norms).</summary>
public sealed record EvidenceTable(string Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);
