namespace Recipe.Inspect;

/// <summary>
/// One example named so a person can find it again: its split, its index in that split, its index in
/// the file it came from, where it came from (a file path, "line 12", "#123") and its label.
/// </summary>
public sealed record ExampleRef(string Split, int Index, long SourceIndex, string Origin, string? Label);
