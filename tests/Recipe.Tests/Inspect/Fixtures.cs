using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>Shared helpers: the embedded real Fashion-MNIST sample, and finding lookups by (split, index).</summary>
public static class Fixtures
{
    public static Dataset Sample() => DataSpec.Load("fashion-mnist-sample");

    /// <summary>Audits with single-threaded torch, as `recipe inspect` does.</summary>
    public static ImageAudit Audit(Dataset data, InspectOptions? options = null) =>
        GrayChunks.SingleThreadedTorch(() => ImageAudit.Run(data, options ?? new InspectOptions()));

    public static bool Involves(this Finding finding, params (string Split, int Index)[] examples) =>
        examples.All(e => finding.Examples.Any(x => x.Split == e.Split && x.Index == e.Index));

    /// <summary>The findings of a kind that involve all the given examples.</summary>
    public static List<Finding> Of(this IEnumerable<Finding> findings, string kind, params (string Split, int Index)[] examples) =>
        findings.Where(f => f.Kind == kind && f.Involves(examples)).ToList();

    public static string TempFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"recipe-tests-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
