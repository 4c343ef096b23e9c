using Recipe.Inspect;
using Recipe.Reporting;
using SkiaSharp;

namespace Recipe.Tests.Inspect;

/// <summary>
/// A folder of real Fashion-MNIST PNGs (train/ and test/, one subfolder per class) with planted files:
/// undecodable ones, a duplicated file within train, a training file copied into test, a blank image.
/// Inspected end to end: the command's library entry writes report.html and summary.json.
/// </summary>
public class ImageFolderInspectionTests : IDisposable
{
    readonly string _root = Fixtures.TempFolder("folder");
    readonly string _out;

    public ImageFolderInspectionTests() => _out = Path.Combine(_root, "out");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static readonly string[] Classes = ["T-shirt", "Trouser", "Bag"];
    static readonly int[] ClassIndices = [0, 1, 8];

    string Build()
    {
        using var data = Fixtures.Sample();
        var labels = Recipe.Inspect.TensorCopy.ToArray<long>(data.Train.Targets);
        var pixels = Recipe.Inspect.TensorCopy.ToArray<byte>(data.Train.Inputs);
        var folder = Path.Combine(_root, "data");
        for (int c = 0; c < Classes.Length; c++)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == ClassIndices[c]).Take(24).ToArray();
            for (int k = 0; k < members.Length; k++)
            {
                var split = k < 18 ? "train" : "test";
                Directory.CreateDirectory(Path.Combine(folder, split, Classes[c]));
                SavePng(Path.Combine(folder, split, Classes[c], $"{members[k]:D5}.png"), pixels.AsSpan(members[k] * 784, 784).ToArray());
            }
        }
        var trainShirts = Path.Combine(folder, "train", "T-shirt");
        var first = Directory.GetFiles(trainShirts).Order().First();
        File.Copy(first, Path.Combine(trainShirts, "copy-of-first.png"));                                   // duplicate within train
        File.Copy(Directory.GetFiles(Path.Combine(folder, "train", "Bag")).Order().First(), Path.Combine(folder, "test", "Bag", "leaked.png")); // train → test
        File.WriteAllBytes(Path.Combine(folder, "train", "Trouser", "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5, 6, 7]);
        File.WriteAllBytes(Path.Combine(folder, "test", "Bag", "truncated.png"), File.ReadAllBytes(first)[..40]);
        SavePng(Path.Combine(folder, "train", "Bag", "blank.png"), new byte[784]);
        return folder;
    }

    static void SavePng(string path, byte[] gray)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(gray, 0, bitmap.GetPixels(), gray.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }

    [Fact]
    public void Given_a_folder_with_planted_defects_When_inspected_Then_each_is_in_summary_json_with_its_file()
    {
        var folder = Build();

        var outcome = Inspection.Run(new InspectRequest { Data = folder, Out = _out, ImageSize = 28 });

        Assert.True(File.Exists(Path.Combine(_out, "report.html")));
        var findings = Summary.Load(Path.Combine(_out, "summary.json"))["findings"]!.AsArray();
        string[] Origins(string kind) => findings.Where(f => f!["kind"]!.GetValue<string>() == kind)
            .SelectMany(f => f!["examples"]!.AsArray().Select(e => Path.GetFileName(e!["origin"]!.GetValue<string>()))).ToArray();

        var corrupted = Origins(FindingKind.Corrupted);
        Assert.Equal(["broken.png", "truncated.png"], corrupted.Order().ToArray());
        var corruptedFinding = findings.Single(f => f!["kind"]!.GetValue<string>() == FindingKind.Corrupted)!;
        Assert.Equal("test+train", corruptedFinding["split"]!.GetValue<string>());

        var first = Directory.GetFiles(Path.Combine(folder, "train", "T-shirt")).Where(f => !f.Contains("copy")).Order().First();
        var duplicated = Origins(FindingKind.ExactDuplicate).Concat(Origins(FindingKind.CrossSplitDuplicate)).ToArray();
        Assert.Contains("copy-of-first.png", duplicated);
        Assert.Contains(Path.GetFileName(first), duplicated);
        Assert.Contains("leaked.png", Origins(FindingKind.CrossSplitDuplicate));
        Assert.Equal(["blank.png"], Origins(FindingKind.Blank));
        Assert.Contains(outcome.Findings, f => f.Kind == FindingKind.Corrupted);
    }

    [Fact]
    public void Given_a_query_When_inspected_Then_the_grid_holds_exactly_the_selected_examples()
    {
        var folder = Build();

        var outcome = Inspection.Run(new InspectRequest { Data = folder, Out = _out, ImageSize = 28, Where = "label=Bag, split=train", Sort = "mean:desc", Top = 5 });

        var query = outcome.Query!;
        Assert.Equal(5, query.Rows.Length);
        Assert.True(query.Matched >= 5);
        Assert.All(outcome.QueryTable!.Rows, row => Assert.Equal(["train", "Bag"], [row[1], row[4]]));
        int mean = outcome.QueryTable.Header.ToList().IndexOf("mean");
        var means = outcome.QueryTable.Rows.Select(r => double.Parse(r[mean], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(means.OrderDescending(), means);
        using var grid = SKBitmap.Decode(Path.Combine(_out, "query.png"));
        Assert.Equal(5 * (28 * 2 + 2), grid.Width);   // one cell per selected example
    }
}
