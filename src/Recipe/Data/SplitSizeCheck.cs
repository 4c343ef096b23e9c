namespace Recipe.Data;

/// <summary>
/// Refuses data too small to give every split an example. An empty validation or test split does not
/// fail on its own: its loss and accuracy come out as 0 and the run looks fine, which is the silent
/// failure Recipe exists to prevent.
/// </summary>
public static class SplitSizeCheck
{
    /// <param name="file">The file or folder the examples came from.</param>
    /// <param name="place">Where the count is, e.g. "byte 4" or "12 data rows".</param>
    /// <param name="unit">What an example is called in the message ("rows", "lines", "images").</param>
    public static void Require(string file, string place, string unit, int train, int validation, int test)
    {
        if (train > 0 && validation > 0 && test > 0) return;
        throw new DataException(file, place,
            $"enough {unit} that train, validation and test each get at least one, found {train + validation + test}: " +
            $"{train} train, {validation} validation, {test} test");
    }
}
