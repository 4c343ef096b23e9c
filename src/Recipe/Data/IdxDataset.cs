using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>Builds an image-classification <see cref="Dataset"/> from IDX image and label files.</summary>
public static class IdxDataset
{
    /// <summary>Fashion-MNIST's class names, used when the data is Fashion-MNIST.</summary>
    public static readonly string[] FashionMnistClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Reads a folder holding train-* and t10k-*/test-* image and label files.</summary>
    public static Dataset FromFolder(string folder, string name, IReadOnlyList<string>? classNames = null)
    {
        var train = FindPair(folder, "train");
        var test = FindPair(folder, "t10k") ?? FindPair(folder, "test");
        if (train is null || test is null)
            throw new DataException(folder, "folder",
                "IDX files named train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] and t10k-/test- images and labels");
        foreach (var file in new[] { train.Value.Images, train.Value.Labels, test.Value.Images, test.Value.Labels })
            RegularFile.Require(file);
        return Build(name, folder,
            (File.ReadAllBytes(train.Value.Images), train.Value.Images), (File.ReadAllBytes(train.Value.Labels), train.Value.Labels),
            (File.ReadAllBytes(test.Value.Images), test.Value.Images), (File.ReadAllBytes(test.Value.Labels), test.Value.Labels),
            classNames);
    }

    /// <summary>The small real Fashion-MNIST sample embedded in the library (6,000 train, 1,000 test).</summary>
    public static Dataset EmbeddedFashionMnistSample()
    {
        const string source = "embedded:fashion-mnist-sample";
        return Build("fashion-mnist (embedded sample)", source,
            (Resource("train-images-idx3-ubyte.gz"), $"{source}/train-images-idx3-ubyte.gz"),
            (Resource("train-labels-idx1-ubyte.gz"), $"{source}/train-labels-idx1-ubyte.gz"),
            (Resource("t10k-images-idx3-ubyte.gz"), $"{source}/t10k-images-idx3-ubyte.gz"),
            (Resource("t10k-labels-idx1-ubyte.gz"), $"{source}/t10k-labels-idx1-ubyte.gz"),
            FashionMnistClasses);
    }

    static byte[] Resource(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"fashion-mnist-sample/{file}")
            ?? throw new InvalidOperationException($"embedded resource fashion-mnist-sample/{file} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    static (string Images, string Labels)? FindPair(string folder, string prefix)
    {
        string? Find(string kind) => new[] { "", ".gz" }
            .Select(ext => Path.Combine(folder, $"{prefix}-{kind}{ext}"))
            .FirstOrDefault(File.Exists);
        var images = Find("images-idx3-ubyte");
        var labels = Find("labels-idx1-ubyte");
        return images is null || labels is null ? null : (images, labels);
    }

    /// <summary>Builds the dataset from the four files' contents; validation is carved from train (10%, stratified).</summary>
    public static Dataset Build(string name, string source,
        (byte[] Content, string Name) trainImages, (byte[] Content, string Name) trainLabels,
        (byte[] Content, string Name) testImages, (byte[] Content, string Name) testLabels,
        IReadOnlyList<string>? classNames = null)
    {
        var (trainX, trainY) = ReadPair(trainImages, trainLabels);
        var (testX, testY) = ReadPair(testImages, testLabels);
        if (trainX.Dimensions[1] != testX.Dimensions[1] || trainX.Dimensions[2] != testX.Dimensions[2])
            throw new DataException(testImages.Name, At(testImages, 8),
                $"{trainX.Dimensions[1]}x{trainX.Dimensions[2]} images like the training file, found {testX.Dimensions[1]}x{testX.Dimensions[2]}");

        IdxLabelCheck.Require(trainLabels, trainY.Data, testLabels, testY.Data, classNames);
        int classCount = Math.Max(trainY.Data.Max(), testY.Data.Max()) + 1;
        var names = classNames is not null && classNames.Count >= classCount
            ? classNames
            : Enumerable.Range(0, classCount).Select(c => c.ToString()).ToArray();

        using var full = ToSplit("train", trainX, trainY);
        var (kept, carved) = SplitCarver.Carve(full.Count, 0.1, trainY.Data.Select(b => (int)b).ToArray());
        SplitSizeCheck.Require(trainImages.Name, At(trainImages, 4), "training images", kept.Length, carved.Length, testX.Count);
        return new Dataset
        {
            Name = name,
            Source = source,
            Format = DataFormat.Idx,
            Task = TaskKind.Classification,
            ClassNames = names,
            ExampleShape = [1, trainX.Dimensions[1], trainX.Dimensions[2]],
            Train = full.Subset("train", kept),
            Validation = full.Subset("validation", carved),
            Test = ToSplit("test", testX, testY),
        };
    }

    /// <summary>A place in the file, saying when the offset counts decompressed bytes (as IdxReader does).</summary>
    internal static string At((byte[] Content, string Name) file, int offset) =>
        file.Content is [0x1f, 0x8b, ..] ? $"byte {offset} (after decompression)" : $"byte {offset}";

    static (IdxReader.IdxArray Images, IdxReader.IdxArray Labels) ReadPair((byte[] Content, string Name) images, (byte[] Content, string Name) labels)
    {
        var x = IdxReader.Read(images.Content, images.Name);
        var y = IdxReader.Read(labels.Content, labels.Name);
        if (x.Dimensions.Length != 3)
            throw new DataException(images.Name, At(images, 3), $"3 dimensions (count, rows, columns) for images, found {x.Dimensions.Length}");
        if (y.Dimensions.Length != 1)
            throw new DataException(labels.Name, At(labels, 3), $"1 dimension (count) for labels, found {y.Dimensions.Length}");
        if (x.Count == 0)
            throw new DataException(images.Name, At(images, 4), "at least one image, found a count of 0");
        if (x.Count != y.Count)
            throw new DataException(labels.Name, At(labels, 4),
                $"as many labels as images in {Path.GetFileName(images.Name)} ({x.Count}), found {y.Count}");
        return (x, y);
    }

    static DataSplit ToSplit(string name, IdxReader.IdxArray images, IdxReader.IdxArray labels)
    {
        var inputs = torch.tensor(images.Data, dtype: uint8).reshape(images.Count, 1, images.Dimensions[1], images.Dimensions[2]);
        var targets = torch.tensor(labels.Data, dtype: uint8).to_type(int64);
        return new DataSplit(name, inputs, targets);
    }
}
