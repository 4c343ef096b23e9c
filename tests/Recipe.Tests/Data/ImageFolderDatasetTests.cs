using Recipe.Data;
using Recipe.Tests.Support;
using SkiaSharp;

namespace Recipe.Tests.Data;

public class ImageFolderDatasetTests
{
    static readonly string[] Classes = ["a-red", "b-green", "c-blue"];
    static readonly SKColor[] Colors = [new(250, 10, 20), new(15, 240, 30), new(5, 25, 235)];

    /// <summary>Checks every example has its class's colour: each channel within <paramref name="tolerance"/>.</summary>
    static void AssertColorsFollowLabels(DataSplit split, SKColor[] colors, int tolerance = 0)
    {
        var labels = split.Targets.data<long>().ToArray();
        for (int i = 0; i < split.Count; i++)
        {
            var color = colors[labels[i]];
            var pixels = split.Inputs[i].data<byte>().ToArray(); // (C, H, W)
            int plane = pixels.Length / (int)split.Inputs.shape[1];
            byte[] expected = split.Inputs.shape[1] == 1 ? [color.Red] : [color.Red, color.Green, color.Blue];
            for (int c = 0; c < expected.Length; c++)
                Assert.All(pixels.Skip(c * plane).Take(plane), p => Assert.InRange(p, expected[c] - tolerance, expected[c] + tolerance));
            Assert.Contains($"{Path.DirectorySeparatorChar}{Classes[labels[i]]}{Path.DirectorySeparatorChar}", split.OriginOf(i));
        }
    }

    [Fact]
    public void Given_one_subfolder_per_class_When_read_Then_classes_come_from_folder_names_and_images_keep_their_labels()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes, Colors, perClass: 10);

        using var data = ImageFolderDataset.Read(temp.Path, size: 8);

        Assert.Equal(DataFormat.ImageFolder, data.Format);
        Assert.Equal(Classes, data.ClassNames);
        Assert.Equal([3L, 8, 8], data.ExampleShape);
        Assert.Equal([21, 3, 6], data.Splits.Select(s => s.Count));
        foreach (var split in data.Splits)
        {
            Assert.Equal([split.Count, 3L, 8, 8], split.Inputs.shape);
            AssertColorsFollowLabels(split, Colors);
        }
        var origins = data.Splits.SelectMany(s => Enumerable.Range(0, s.Count).Select(s.OriginOf)).ToArray();
        Assert.Equal(30, origins.Distinct().Count());
    }

    [Fact]
    public void Given_train_and_test_subfolders_When_read_Then_test_comes_from_test_and_validation_is_carved_from_train()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Combine("train"), Classes, Colors, perClass: 10);
        TinyData.WriteImageClasses(temp.Combine("test"), Classes, Colors, perClass: 2);

        using var data = ImageFolderDataset.Read(temp.Path, size: 4);

        Assert.Equal(Classes, data.ClassNames);
        Assert.Equal(6, data.Test.Count);
        Assert.All(Enumerable.Range(0, 6), i => Assert.Contains($"{Path.DirectorySeparatorChar}test{Path.DirectorySeparatorChar}", data.Test.OriginOf(i)));
        Assert.Equal(3, data.Validation.Count);
        Assert.Equal(27, data.Train.Count);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains($"{Path.DirectorySeparatorChar}train{Path.DirectorySeparatorChar}", data.Validation.OriginOf(i)));
        Assert.Empty(data.Train.SourceIndices.Intersect(data.Validation.SourceIndices));
        AssertColorsFollowLabels(data.Test, Colors);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 0)]
    [InlineData(SKEncodedImageFormat.Jpeg, 3)]
    public void Given_images_of_another_size_When_read_Then_they_are_resized_to_the_declared_size(SKEncodedImageFormat format, int tolerance)
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes, Colors, perClass: 6, width: 17, height: 9, format: format);

        using var data = ImageFolderDataset.Read(temp.Path, size: 12);

        Assert.Equal([3L, 12, 12], data.ExampleShape);
        Assert.Equal([data.Train.Count, 3L, 12, 12], data.Train.Inputs.shape);
        Assert.Equal(18, data.Splits.Sum(s => s.Count));
        AssertColorsFollowLabels(data.Train, Colors, tolerance);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 0)]
    [InlineData(SKEncodedImageFormat.Jpeg, 2)]
    public void Given_only_gray_images_When_read_Then_they_are_stored_with_one_channel(SKEncodedImageFormat format, int tolerance)
    {
        using var temp = new TempFolder();
        SKColor[] grays = [new(30, 30, 30), new(128, 128, 128), new(220, 220, 220)];
        TinyData.WriteImageClasses(temp.Path, Classes, grays, perClass: 6, format: format, gray: true);

        using var data = ImageFolderDataset.Read(temp.Path, size: 6);

        Assert.Equal([1L, 6, 6], data.ExampleShape);
        Assert.Equal([data.Train.Count, 1L, 6, 6], data.Train.Inputs.shape);
        AssertColorsFollowLabels(data.Train, grays, tolerance);
    }

    [Fact]
    public void Given_gray_and_colour_images_together_When_read_Then_all_are_stored_as_RGB()
    {
        using var temp = new TempFolder();
        SKColor[] colors = [new(30, 30, 30), new(128, 128, 128), new(200, 40, 90)];
        TinyData.WriteImageClasses(temp.Path, Classes[..2], colors[..2], perClass: 6, gray: true);
        TinyData.WriteImageClasses(temp.Path, Classes[2..], colors[2..], perClass: 6);

        using var data = ImageFolderDataset.Read(temp.Path, size: 6);

        Assert.Equal([3L, 6, 6], data.ExampleShape);
        AssertColorsFollowLabels(data.Train, colors);
    }

    [Fact]
    public void Given_an_undecodable_image_When_read_Then_reading_fails_naming_that_file()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes, Colors, perClass: 4);
        var bad = TinyData.WriteText(temp.Combine("b-green", "broken.png"), "this is not a picture");

        var error = Assert.Throws<DataException>(() => ImageFolderDataset.Read(temp.Path, size: 6));

        Assert.Equal(bad, error.File);
        Assert.Contains("PNG or JPEG", error.Expected);
    }

    [Fact]
    public void Given_a_truncated_image_When_read_Then_reading_fails_instead_of_keeping_a_half_image()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes, Colors, perClass: 4, width: 40, height: 40);
        var bad = temp.Combine("a-red", "002.png");
        var bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, bytes[..(bytes.Length * 2 / 3)]);

        var error = Assert.Throws<DataException>(() => ImageFolderDataset.Read(temp.Path, size: 6));

        Assert.Equal(bad, error.File);
        Assert.Contains("truncated", error.Expected);
    }

    [Fact]
    public void Given_an_undecodable_image_and_skip_unreadable_When_read_Then_it_is_listed_in_the_notes_and_left_out()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes, Colors, perClass: 6);
        var bad = TinyData.WriteText(temp.Combine("b-green", "broken.png"), "this is not a picture");

        using var data = DataSpec.Load(temp.Path, new ReadOptions(ImageSize: 6, SkipUnreadable: true));

        Assert.Equal(18, data.Splits.Sum(s => s.Count)); // the 18 good images
        Assert.Contains(data.Notes, n => n.Contains(bad, StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_class_folder_without_images_When_read_Then_that_folder_is_blamed()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes[..2], Colors, perClass: 4);
        Directory.CreateDirectory(temp.Combine(Classes[2]));

        var error = Assert.Throws<DataException>(() => ImageFolderDataset.Read(temp.Path, size: 6));

        Assert.Equal(temp.Combine(Classes[2]), error.File);
        Assert.Contains("image", error.Expected);
    }

    [Fact]
    public void Given_hidden_folders_and_files_When_read_Then_they_are_not_classes_or_examples()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes, Colors, perClass: 6);
        TinyData.WriteImage(temp.Combine(".ipynb_checkpoints", "x.png"), 4, 4, SKColors.White);
        TinyData.WriteText(temp.Combine("a-red", "._000.png"), "macOS resource fork, not an image");

        using var data = ImageFolderDataset.Read(temp.Path, size: 6);

        Assert.Equal(Classes, data.ClassNames);
        Assert.Equal(18, data.Splits.Sum(s => s.Count));
    }

    [Fact]
    public void Given_a_test_class_that_train_lacks_When_read_Then_the_test_class_folder_is_blamed()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Combine("train"), Classes[..2], Colors, perClass: 4);
        TinyData.WriteImageClasses(temp.Combine("test"), Classes, Colors, perClass: 2);

        var error = Assert.Throws<DataException>(() => ImageFolderDataset.Read(temp.Path, size: 6));

        Assert.Equal(temp.Combine("test", Classes[2]), error.File);
    }

    [Fact]
    public void Given_too_few_images_for_a_validation_split_When_read_Then_the_folder_is_blamed_with_the_split_sizes()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes, Colors, perClass: 3);

        var error = Assert.Throws<DataException>(() => ImageFolderDataset.Read(temp.Path, size: 6));

        Assert.Equal(temp.Path, error.File);
        Assert.Equal("9 images", error.Place);
        Assert.Contains("found 9: 6 train, 0 validation, 3 test", error.Expected);
    }

    [Fact]
    public void Given_a_train_folder_without_a_test_folder_When_read_Then_the_missing_test_folder_is_named()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Combine("train"), Classes, Colors, perClass: 6);

        var error = Assert.Throws<DataException>(() => ImageFolderDataset.Read(temp.Path, size: 6));

        Assert.Equal(temp.Combine("test"), error.File);
        Assert.Contains("test/", error.Expected);
    }

    [Fact]
    public void Given_train_val_and_test_subfolders_When_read_Then_each_split_comes_from_its_own_folder()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Combine("train"), Classes, Colors, perClass: 4);
        TinyData.WriteImageClasses(temp.Combine("val"), Classes, Colors, perClass: 2);
        TinyData.WriteImageClasses(temp.Combine("test"), Classes, Colors, perClass: 1);

        using var data = ImageFolderDataset.Read(temp.Path, size: 4);

        Assert.Equal([12, 6, 3], data.Splits.Select(s => s.Count));
        string InFolder(string name) => $"{Path.DirectorySeparatorChar}{name}{Path.DirectorySeparatorChar}";
        Assert.All(Enumerable.Range(0, 6), i => Assert.Contains(InFolder("val"), data.Validation.OriginOf(i)));
        Assert.All(Enumerable.Range(0, 12), i => Assert.Contains(InFolder("train"), data.Train.OriginOf(i)));
        AssertColorsFollowLabels(data.Validation, Colors);
    }

    [Fact]
    public void Given_files_that_are_not_images_in_a_class_folder_When_read_Then_they_are_counted_in_the_notes()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes, Colors, perClass: 6);
        TinyData.WriteText(temp.Combine("b-green", "labels.txt"), "not data");

        using var data = ImageFolderDataset.Read(temp.Path, size: 6);

        Assert.Equal(18, data.Splits.Sum(s => s.Count));
        Assert.Contains(data.Notes, n => n.StartsWith("1 files that are not PNG or JPEG ignored in", StringComparison.Ordinal) && n.Contains("labels.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_single_class_folder_When_read_Then_it_is_refused_at_load_since_there_is_nothing_to_tell_apart()
    {
        using var temp = new TempFolder();
        TinyData.WriteImageClasses(temp.Path, Classes[..1], Colors[..1], perClass: 10);

        var error = Assert.Throws<DataException>(() => ImageFolderDataset.Read(temp.Path, size: 6));

        Assert.Equal(temp.Path, error.File);
        Assert.Equal("at least 2 class subfolders (classification needs 2 classes), found only 'a-red'", error.Expected);
    }
}
