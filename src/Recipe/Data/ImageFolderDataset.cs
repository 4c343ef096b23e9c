using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// Builds an image-classification <see cref="Dataset"/> from a folder with one subfolder per class
/// (or train/ and test/ folders, each with one subfolder per class). PNG and JPEG files are decoded
/// with SkiaSharp and resized to a declared square size. Images are stored grayscale (1 channel)
/// when every image is gray, RGB otherwise.
/// </summary>
public static class ImageFolderDataset
{
    static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <param name="size">Side of the square every image is resized to.</param>
    /// <param name="skipUnreadable">List undecodable files in the notes instead of failing (stage 1 audits).</param>
    public static Dataset Read(string folder, int size = 32, bool skipUnreadable = false)
    {
        var notes = new List<string>();
        var trainFolder = Path.Combine(folder, "train");
        var testFolder = Path.Combine(folder, "test");
        bool ownSplits = Directory.Exists(trainFolder) && Directory.Exists(testFolder);

        var classNames = ClassFolders(ownSplits ? trainFolder : folder).Select(f => Path.GetFileName(f)).ToArray();
        if (ownSplits) CheckTestClasses(testFolder, classNames);
        var trainFiles = ListFiles(ownSplits ? trainFolder : folder, classNames, notes);
        var testFiles = ownSplits ? ListFiles(testFolder, classNames, notes) : null;

        var decodedTrain = Decode(trainFiles, size, skipUnreadable, notes);
        var decodedTest = testFiles is null ? null : Decode(testFiles, size, skipUnreadable, notes);
        bool gray = decodedTrain.Concat(decodedTest ?? []).All(d => d.Gray);
        int channels = gray ? 1 : 3;

        using var all = ToSplit("all", decodedTrain, channels, size);
        var classes = decodedTrain.Select(d => d.Class).ToArray();
        DataSplit train, validation, test;
        if (ownSplits)
        {
            var (kept, carved) = SplitCarver.Carve(all.Count, 0.1, classes);
            train = all.Subset("train", kept);
            validation = all.Subset("validation", carved);
            test = ToSplit("test", decodedTest!, channels, size);
        }
        else
        {
            var (rest, testIdx) = SplitCarver.Carve(all.Count, 0.2, classes);
            var (trainIdx, validationIdx) = SplitCarver.Carve(rest.Length, 0.125, rest.Select(i => classes[i]).ToArray());
            train = all.Subset("train", trainIdx.Select(i => rest[i]).ToArray());
            validation = all.Subset("validation", validationIdx.Select(i => rest[i]).ToArray());
            test = all.Subset("test", testIdx);
        }
        return new Dataset
        {
            Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))),
            Source = folder,
            Format = DataFormat.ImageFolder,
            Task = TaskKind.Classification,
            ClassNames = classNames,
            ExampleShape = [channels, size, size],
            Train = train,
            Validation = validation,
            Test = test,
            Notes = notes,
        };
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

    /// <summary>A test folder's classes must be the training classes: a test-only class could never be predicted.</summary>
    static void CheckTestClasses(string testFolder, string[] classNames)
    {
        var extra = ClassFolders(testFolder).FirstOrDefault(d => !classNames.Contains(Path.GetFileName(d)));
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
