namespace Recipe.Bench;

/// <summary>This process's minor page faults so far (Linux /proc/self/stat), or 0 where unknown.</summary>
public static class PageFaults
{
    public static long Minor()
    {
        const string stat = "/proc/self/stat";
        if (!File.Exists(stat)) return 0;
        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd (state) on
        return long.Parse(fields[10 - 3], System.Globalization.CultureInfo.InvariantCulture); // 10th: minflt
    }
}
