using System.Diagnostics;
using Recipe.Data;
using Recipe.Inspect;
using Recipe.Tests.Inspect;

// Benchmark of stage 1 (`recipe inspect`) on real Fashion-MNIST: audits 10,000 and all 70,000 images
// and prints both times and their ratio (7 would be exactly linear), then measures near-duplicate
// recall and precision on copies planted into the embedded sample.
// Options: --threshold X, --descriptor-threshold Y, --blur S (near-duplicate settings), --sizes 10000,70000, --planted N.
Recipe.Native.TorchRuntime.EnsureLoadable();
var near = new NearDuplicateOptions();
if (Arg("--threshold") is { } threshold) near = near with { Threshold = double.Parse(threshold) };
if (Arg("--blur") is { } blur) near = near with { BlurSigma = double.Parse(blur) };
if (Arg("--descriptor-threshold") is { } descriptor) near = near with { DescriptorThreshold = double.Parse(descriptor) };
var sizes = (Arg("--sizes") ?? "10000,70000").Split(',').Select(int.Parse).ToArray();
int plantedCopies = int.Parse(Arg("--planted") ?? "400");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");

var clock = Stopwatch.StartNew();
using var full = DataSpec.Load("fashion-mnist");
Console.WriteLine($"read {full.Source}: {full.Train.Count + full.Validation.Count + full.Test.Count} images in {clock.Elapsed.TotalSeconds:F1} s (not part of the audit times)");
if (full.Train.Count + full.Validation.Count + full.Test.Count < 70_000)
    Console.WriteLine("warning: Debian's dataset-fashion-mnist is not installed; timing the embedded sample instead");

var times = new Dictionary<int, double>();
foreach (var size in sizes)
{
    using var part = Cut(full, size);
    int count = part.Splits.Sum(s => s.Count);
    clock.Restart();
    var audit = GrayChunks.SingleThreadedTorch(() => ImageAudit.Run(part, new InspectOptions { NearDuplicates = near }));
    times[size] = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"audit of {count,6} images: {times[size],6:F2} s  ({string.Join(", ", audit.Seconds.Select(p => $"{p.Key} {p.Value:F2}"))}); " +
                      $"{audit.ExactGroups.Count} exact groups, {audit.NearDuplicates.Pairs.Count} near pairs, {audit.NearDuplicates.Compared / 1e6:F0}M descriptor comparisons");
    Console.WriteLine($"    near duplicates: {string.Join(", ", audit.NearDuplicates.Seconds.Select(p => $"{p.Key} {p.Value:F2}"))}");
}
if (times.Count == 2)
    Console.WriteLine($"ratio {sizes[1]} / {sizes[0]}: {times[sizes[1]] / times[sizes[0]]:F2} (linear: {sizes[1] / (double)sizes[0]:F2})");

if (plantedCopies > 0)
{
    Console.WriteLine();
    Console.WriteLine(PlantedNearDuplicates.Measure(plantedCopies, near).Describe());
}

string? Arg(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static Dataset Cut(Dataset full, int size)
{
    int total = full.Splits.Sum(s => s.Count);
    double fraction = Math.Min(1, size / (double)total);
    DataSplit Part(DataSplit s) => s.Subset(s.Name, Enumerable.Range(0, (int)Math.Round(s.Count * fraction)).Select(i => (long)i).ToArray());
    return new Dataset
    {
        Name = full.Name, Source = full.Source, Format = full.Format, Task = full.Task, ClassNames = full.ClassNames,
        ExampleShape = full.ExampleShape, Train = Part(full.Train), Validation = Part(full.Validation), Test = Part(full.Test),
    };
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
