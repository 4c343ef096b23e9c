using System.Runtime.InteropServices;

namespace Recipe.Bench;

/// <summary>The machine a table was measured on, read from /proc and /etc/os-release.</summary>
public sealed record MachineInfo(int Cores, string Cpu, string Memory, string Os, string Runtime, int TorchThreads, string Malloc, string LoadAverage)
{
    public static MachineInfo Read(int torchThreads, string malloc) => new(
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        FirstValue("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out long k) ? $"{k / 1024.0 / 1024.0:F1} GiB" : "?",
        ReadOsName(),
        RuntimeInformation.FrameworkDescription,
        torchThreads,
        malloc,
        LoadAverageNow());

    /// <summary>1, 5 and 15-minute load averages: how busy the machine was (others' builds included).</summary>
    public static string LoadAverageNow() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public override string ToString() =>
        $"{Cores} cores ({Cpu}), {Memory}, {Os}, {Runtime}; torch threads {TorchThreads}; malloc: {Malloc}; load average at start {LoadAverage}";

    static string? FirstValue(string file, string key) =>
        File.Exists(file)
            ? File.ReadLines(file).Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault()
            : null;

    static string ReadOsName() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").Where(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                .Select(l => l["PRETTY_NAME=".Length..].Trim('"')).FirstOrDefault() ?? RuntimeInformation.OSDescription
            : RuntimeInformation.OSDescription;
}
