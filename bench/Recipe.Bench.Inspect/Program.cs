using System.Diagnostics;
using System.IO.Compression;
using Recipe.Data;
using Recipe.Inspect;
using Recipe.Tests.Inspect;

// Benchmark of stage 1 (`recipe inspect`) on real Fashion-MNIST (Debian's dataset-fashion-mnist):
//  2. the whole command (read gzip IDX files, audit, report.html, summary.json, examples.csv) of 10,000 and all
//     70,000 images, printing the times and the 70k/10k ratio (7.00 would be exactly linear); the audit alone
//     (section 1 before) is `Recipe.Bench audit`, in bench/run's table; then
//  3. near-duplicate recall and precision on copies planted into the embedded sample,
//  4. near-identical text lines: recall, precision and time on edited copies planted into 50,000 sentences of real words.
// Options: --sizes 10000,70000  --planted 400  --threshold X  --descriptor-threshold Y  --blur S
Recipe.Native.TorchRuntime.EnsureLoadable();
var near = new NearDuplicateOptions();
if (Arg("--threshold") is { } threshold) near = near with { Threshold = double.Parse(threshold) };
if (Arg("--blur") is { } blur) near = near with { BlurSigma = double.Parse(blur) };
if (Arg("--descriptor-threshold") is { } descriptor) near = near with { DescriptorThreshold = double.Parse(descriptor) };
var sizes = (Arg("--sizes") ?? "10000,70000").Split(',').Select(int.Parse).ToArray();
int plantedCopies = int.Parse(Arg("--planted") ?? "400");
var options = new InspectOptions { NearDuplicates = near };
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} (other processes share these cores)");

var clock = Stopwatch.StartNew();
using var full = DataSpec.Load("fashion-mnist");
int available = full.Splits.Sum(s => s.Count);
Console.WriteLine($"read {full.Source}: {available:N0} images in {clock.Elapsed.TotalSeconds:F1} s");
if (available < sizes.Max())
    Console.WriteLine($"warning: only {available} images (install Debian's dataset-fashion-mnist for the full 70,000)");

// Warm up (JIT, libtorch kernels) on a small part, untimed, so the first measured size does not pay for it.
using (var warm = full.Head(2_000))
    GrayChunks.SingleThreadedTorch(() => ImageAudit.Run(warm, options));

// The audit alone (data in memory) is `Recipe.Bench audit`, in bench/run's table; this program times the whole command.
Console.WriteLine("\n2. recipe inspect end to end (read gzip IDX, audit, report.html, summary.json, examples.csv)");
var commands = new Dictionary<int, double>();
var scratch = Path.Combine(Path.GetTempPath(), $"recipe-bench-inspect-{Environment.ProcessId}");
try
{
    foreach (var size in sizes)
    {
        using var part = full.Head(size);
        var folder = WriteIdx(part, Path.Combine(scratch, $"fashion-mnist-{size}"));
        clock.Restart();
        var outcome = Inspection.Run(new InspectRequest { Data = folder, Out = Path.Combine(scratch, $"out-{size}"), Options = options });
        commands[size] = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"   {size,6:N0} images: {commands[size],6:F2} s  ({outcome.Findings.Count} findings; report {new FileInfo(Path.Combine(outcome.OutputFolder, "report.html")).Length / 1e6:F1} MB)");
    }
    PrintRatio(commands);
}
finally
{
    if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
}

if (plantedCopies > 0)
{
    Console.WriteLine("\n3. " + PlantedNearDuplicates.Measure(plantedCopies, near).Describe());
}

if (plantedCopies > 0)
{
    Console.WriteLine("\n4. " + PlantedSimilarText(50_000, plantedCopies));
}

// Sentences of twelve seeded words from Debian's wamerican, and `planted` edited copies of random ones (a typo;
// case, punctuation and spacing; one word replaced; one word appended, in turn); recall, precision and time of SimilarText.
static string PlantedSimilarText(int sentences, int planted)
{
    if (!File.Exists(DataSpec.SystemWords)) return $"text near duplicates: skipped ({DataSpec.SystemWords} missing: tools/install-test-data installs wamerican)";
    var words = File.ReadLines(DataSpec.SystemWords).Where(w => w.Length >= 4 && w.All(char.IsAsciiLetterLower)).ToArray();
    var random = new Random(11);
    string Sentence() => string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)]));
    var lines = Enumerable.Range(0, sentences).Select(_ => Sentence()).ToList();
    var originals = Enumerable.Range(0, sentences).OrderBy(_ => random.Next()).Take(planted).ToArray();
    var expected = new HashSet<(int, int)>();
    for (int k = 0; k < originals.Length; k++)
    {
        var original = lines[originals[k]];
        var parts = original.Split(' ');
        string copy = (k % 4) switch
        {
            0 => original.Remove(9, 1).Insert(9, "q"),                          // a typo
            1 => original.ToUpperInvariant().Replace(" ", ",  ") + "!",         // case, punctuation, spacing
            2 => string.Join(' ', parts.Take(6).Append(words[random.Next(words.Length)]).Concat(parts.Skip(7))), // a word replaced
            _ => original + " " + words[random.Next(words.Length)],            // a word appended
        };
        lines.Add(copy);
        expected.Add((originals[k], lines.Count - 1));
    }
    var clock = Stopwatch.StartNew();
    var groups = SimilarText.Groups(lines);
    double seconds = clock.Elapsed.TotalSeconds;
    var found = groups.Where(g => g.Members.Length == 2).Select(g => (g.Members[0], g.Members[1])).Where(expected.Contains).Count();
    return $"text near duplicates: {lines.Count:N0} lines, {planted} planted edited copies: recall {found / (double)planted:P1} ({found}/{planted}), " +
           $"precision {(groups.Count == 0 ? 1 : found / (double)groups.Count):P1} ({groups.Count} groups found), {seconds:F2} s";
}

void PrintRatio(Dictionary<int, double> times)
{
    if (times.Count == 2)
        Console.WriteLine($"   ratio {sizes[1]:N0} / {sizes[0]:N0}: {times[sizes[1]] / times[sizes[0]]:F2} (linear: {sizes[1] / (double)sizes[0]:F2})");
}

string? Arg(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

// Writes gzip IDX files like Debian's (train = train + validation, t10k = test), so the command reads them as it would the original.
static string WriteIdx(Dataset data, string folder)
{
    Directory.CreateDirectory(Path.Combine(folder, "fashion"));   // a name with "fashion" keeps the class names
    folder = Path.Combine(folder, "fashion");
    var train = new[] { data.Train, data.Validation };
    Write(Path.Combine(folder, "train-images-idx3-ubyte.gz"), Images(train), [train.Sum(s => s.Count), 28, 28]);
    Write(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), Labels(train), [train.Sum(s => s.Count)]);
    Write(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Images([data.Test]), [data.Test.Count, 28, 28]);
    Write(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), Labels([data.Test]), [data.Test.Count]);
    return folder;

    static byte[] Images(DataSplit[] splits) => splits.SelectMany(s => TensorCopy.ToArray<byte>(s.Inputs)).ToArray();
    static byte[] Labels(DataSplit[] splits) => splits.SelectMany(s => TensorCopy.ToArray<long>(s.Targets)).Select(l => (byte)l).ToArray();
    static void Write(string path, byte[] body, int[] dimensions)
    {
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write([0, 0, 8, (byte)dimensions.Length]);
        foreach (var d in dimensions) zip.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        zip.Write(body);
    }
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
