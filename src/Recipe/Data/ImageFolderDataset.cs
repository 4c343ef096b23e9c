using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// Builds an image-classification <see cref="Dataset"/> from a folder with one subfolder per class,
/// or train/ and test/ folders (and optionally val/ or validation/), each with one subfolder per class.
/// Missing splits are carved from train, stratified. PNG and JPEG files are decoded with SkiaSharp and
/// resized to a declared square size. Images are stored grayscale (1 channel) when every image is
/// gray, RGB otherwise.
/// </summary>
public static class ImageFolderDataset
{
    static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The folders the splits are read from; null where a split is carved from train.</summary>
    sealed record Layout(string Train, string? Validation, string? Test);

    /// <param name="size">Side of the square every image is resized to.</param>
    /// <param name="skipUnreadable">List undecodable files in the notes instead of failing (stage 1 audits).</param>
    public static Dataset Read(string folder, int size = 32, bool skipUnreadable = false)
    {
        var notes = new List<string>();
        var layout = LayoutOf(folder);
        var classNames = ClassFolders(layout.Train).Select(f => Path.GetFileName(f)).ToArray();
        if (classNames.Length < 2)
            throw new DataException(layout.Train, "folder", $"at least 2 class subfolders (classification needs 2 classes), found only '{classNames[0]}'");
        List<Decoded>? ReadFolder(string? split)
        {
            if (split is null) return null;
            if (split != layout.Train) CheckClasses(split, classNames);
            return Decode(ListFiles(split, classNames, notes), size, skipUnreadable, notes);
        }
        var train = ReadFolder(layout.Train)!;
        var validation = ReadFolder(layout.Validation);
        var test = ReadFolder(layout.Test);
        int channels = train.Concat(validation ?? []).Concat(test ?? []).All(d => d.Gray) ? 1 : 3;

        var splits = MakeSplits(train, validation, test, channels, size);
        SplitSizeCheck.Require(folder, $"{splits.Sum(s => s.Count)} images", "images", splits[0].Count, splits[1].Count, splits[2].Count);
        return new Dataset
        {
            Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))),
            Source = folder,
            Format = DataFormat.ImageFolder,
            Task = TaskKind.Classification,
            ClassNames = classNames,
            ExampleShape = [channels, size, size],
            Train = splits[0],
            Validation = splits[1],
            Test = splits[2],
            Notes = notes,
        };
    }

    /// <summary>train/ and test/ side by side (val/ optional) give the splits; with neither, the folder holds the classes.</summary>
    static Layout LayoutOf(string folder)
    {
        string? Sub(params string[] names) => names.Select(n => Path.Combine(folder, n)).FirstOrDefault(Directory.Exists);
        string? train = Sub("train"), test = Sub("test");
        if (train is null && test is null) return new Layout(folder, null, null);
        if (train is null || test is null)
            throw new DataException(Path.Combine(folder, train is null ? "train" : "test"), "folder",
                "train/ and test/ folders side by side (val/ optional), each with one subfolder per class; or no train/ or test/ folder and one subfolder per class");
        return new Layout(train, Sub("val", "validation"), test);
    }

    /// <summary>Train, validation and test; a split without its own folder is carved from train (test 20%, validation 10%).</summary>
    static DataSplit[] MakeSplits(List<Decoded> train, List<Decoded>? validation, List<Decoded>? test, int channels, int size)
    {
        using var all = ToSplit("all", train, channels, size);
        var classes = train.Select(d => d.Class).ToArray();
        long[] rest = Enumerable.Range(0, all.Count).Select(i => (long)i).ToArray(), testIdx = [];
        if (test is null) (rest, testIdx) = SplitCarver.Carve(all.Count, 0.2, classes);
        var restClasses = rest.Select(i => classes[i]).ToArray();
        long[] trainIdx = rest, validationIdx = [];
        if (validation is null)
        {
            var (kept, carved) = SplitCarver.Carve(rest.Length, test is null ? 0.125 : 0.1, restClasses);
            (trainIdx, validationIdx) = (kept.Select(i => rest[i]).ToArray(), carved.Select(i => rest[i]).ToArray());
        }
        return
        [
            all.Subset("train", trainIdx),
            validation is null ? all.Subset("validation", validationIdx) : ToSplit("validation", validation, channels, size),
            test is null ? all.Subset("test", testIdx) : ToSplit("test", test, channels, size),
        ];
    }

    /// <summary>Class folders, in name order. Hidden folders (.ipynb_checkpoints, .git) are not classes.</summary>
    static string[] ClassFolders(string folder)
    {
        var classes = Directory.GetDirectories(folder).Where(d => !IsHidden(d)).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
            throw new DataException(folder, "folder", "one subfolder of PNG/JPEG images per class, found no subfolders");
        return classes;
    }

    /// <summary>Hidden files and folders, such as macOS's "._x.png" companions, are not data.</summary>
    static bool IsHidden(string path) => Path.GetFileName(path).StartsWith('.');

    /// <summary>A validation or test folder's classes must be training classes: a class never trained on could never be predicted.</summary>
    static void CheckClasses(string splitFolder, string[] classNames)
    {
        var extra = ClassFolders(splitFolder).FirstOrDefault(d => !classNames.Contains(Path.GetFileName(d)));
        if (extra is not null)
            throw new DataException(extra, "folder", $"a class that train/ also has ({string.Join(", ", classNames)})");
    }

    static List<(string Path, int Class)> ListFiles(string folder, string[] classNames, List<string> notes)
    {
        var files = new List<(string, int)>();
        for (int c = 0; c < classNames.Length; c++)
        {
            var classFolder = Path.Combine(folder, classNames[c]);
            if (!Directory.Exists(classFolder))
                throw new DataException(classFolder, "folder", $"a folder for class '{classNames[c]}' as in the training folder");
            var entries = Directory.EnumerateFiles(classFolder).Where(f => !IsHidden(f)).Order(StringComparer.Ordinal).ToArray();
            var images = entries.Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).ToArray();
            if (images.Length == 0)
                throw new DataException(classFolder, "folder", $"PNG or JPEG images of class '{classNames[c]}', found none");
            if (images.Length < entries.Length)
                notes.Add($"{entries.Length - images.Length} files that are not PNG or JPEG ignored in {classFolder} (e.g. {Path.GetFileName(entries.Except(images).First())})");
            files.AddRange(images.Select(f => (f, c)));
        }
        return files;
    }

    sealed record Decoded(string Path, int Class, byte[] Rgb, bool Gray);

    static List<Decoded> Decode(List<(string Path, int Class)> files, int size, bool skipUnreadable, List<string> notes)
    {
        var decoded = new List<Decoded>(files.Count);
        foreach (var (path, cls) in files)
        {
            byte[] rgb;
            try { rgb = ImageDecoder.DecodeResized(path, size); }
            catch (DataException e) when (skipUnreadable)
            {
                notes.Add($"unreadable image skipped: {e.Message}");
                continue;
            }
            bool gray = true;
            for (int i = 0; i < rgb.Length && gray; i += 3) gray = rgb[i] == rgb[i + 1] && rgb[i] == rgb[i + 2];
            decoded.Add(new Decoded(path, cls, rgb, gray));
        }
        if (decoded.Count == 0)
            throw new DataException(Path.GetDirectoryName(Path.GetDirectoryName(files[0].Path))!, "folder",
                $"at least one decodable image, found {files.Count} unreadable ones");
        return decoded;
    }

    static DataSplit ToSplit(string name, List<Decoded> images, int channels, int size)
    {
        var pixels = new byte[images.Count * channels * size * size];
        int plane = size * size;
        for (int n = 0; n < images.Count; n++)
        {
            var rgb = images[n].Rgb;
            int offset = n * channels * plane;
            for (int p = 0; p < plane; p++)
                for (int c = 0; c < channels; c++)
                    pixels[offset + c * plane + p] = rgb[3 * p + c]; // HWC -> CHW
        }
        var inputs = torch.tensor(pixels, dtype: uint8).reshape(images.Count, channels, size, size);
        var targets = torch.tensor(images.Select(d => (long)d.Class).ToArray(), dtype: int64);
        return new DataSplit(name, inputs, targets, images.Select(d => d.Path).ToArray());
    }
}
