namespace Recipe.Data;

/// <summary>
/// Input that Recipe cannot use. Carries the file, the place in it (byte offset, line, path) and what
/// was expected, so the command line can print one clear line and exit with code 2.
/// </summary>
public sealed class DataException(string file, string place, string expected)
    : Exception($"{file}: {place}: expected {expected}")
{
    /// <summary>The file or folder at fault.</summary>
    public string File { get; } = file;
    /// <summary>Where in it: "byte 4", "line 17", "row 3, column 'age'", a path.</summary>
    public string Place { get; } = place;
    /// <summary>What a valid input would have had there.</summary>
    public string Expected { get; } = expected;
}
