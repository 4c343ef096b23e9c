using Recipe.Data;
using Recipe.Tests.Support;

namespace Recipe.Tests.Data;

/// <summary>IDX labels must form the class set they imply: no stray label far past the others, no gaps, at least 2 classes.</summary>
public class IdxLabelCheckTests
{
    const int LabelsStart = 8;

    /// <summary>A folder of 80 training and 10 test examples with labels 0..9, then the given labels patched in.</summary>
    static string WriteWithLabels(TempFolder temp, byte[]? train = null, byte[]? test = null)
    {
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), trainCount: 80, testCount: 10, classes: 10);
        if (train is not null) TinyData.WriteIdx(Path.Combine(idx, "train-labels-idx1-ubyte"), TinyData.Idx([train.Length], train));
        if (test is not null) TinyData.WriteIdx(Path.Combine(idx, "t10k-labels-idx1-ubyte"), TinyData.Idx([test.Length], test));
        return idx;
    }

    static byte[] Labels(int count, int classes) => Enumerable.Range(0, count).Select(n => TinyData.Label(n, classes)).ToArray();

    [Fact]
    public void Given_one_label_of_200_among_ten_classes_When_loaded_Then_its_byte_is_blamed_instead_of_making_201_classes()
    {
        using var temp = new TempFolder();
        var train = Labels(80, 10);
        train[17] = 200;
        var idx = WriteWithLabels(temp, train: train);

        var error = Assert.Throws<DataException>(() => DataSpec.Load(idx));

        Assert.Equal(Path.Combine(idx, "train-labels-idx1-ubyte"), error.File);
        Assert.Equal($"byte {LabelsStart + 17}", error.Place);
        Assert.Equal("a label from 0 to 9 like the other training labels, found 200 (201 classes, 190 of them without a training example)", error.Expected);
    }

    [Fact]
    public void Given_a_test_label_no_training_example_has_When_loaded_Then_the_test_file_is_blamed()
    {
        using var temp = new TempFolder();
        var test = Labels(10, 10);
        test[4] = 10;
        var idx = WriteWithLabels(temp, test: test);

        var error = Assert.Throws<DataException>(() => DataSpec.Load(idx));

        Assert.Equal(Path.Combine(idx, "t10k-labels-idx1-ubyte"), error.File);
        Assert.Equal($"byte {LabelsStart + 4}", error.Place);
        Assert.Contains("found 10 (11 classes, 1 of them without a training example)", error.Expected);
    }

    [Fact]
    public void Given_labels_counted_from_1_When_loaded_Then_the_missing_class_0_is_named()
    {
        using var temp = new TempFolder();
        var idx = WriteWithLabels(temp, train: Labels(80, 10).Select(l => (byte)(l + 1)).ToArray(), test: Labels(10, 10).Select(l => (byte)(l + 1)).ToArray());

        var error = Assert.Throws<DataException>(() => DataSpec.Load(idx));

        Assert.Equal($"byte {LabelsStart}", error.Place);
        Assert.StartsWith("class indices counted from 0, found no label 0 among the training labels (smallest 1", error.Expected);
    }

    [Fact]
    public void Given_every_training_label_equal_When_loaded_Then_it_is_refused_at_load()
    {
        using var temp = new TempFolder();
        var idx = WriteWithLabels(temp, train: new byte[80], test: new byte[10]);

        var error = Assert.Throws<DataException>(() => DataSpec.Load(idx));

        Assert.Equal(Path.Combine(idx, "train-labels-idx1-ubyte"), error.File);
        Assert.Equal("labels of at least 2 classes (classification needs them), found only 0 in all 80 training labels", error.Expected);
    }

    [Fact]
    public void Given_declared_class_names_and_a_label_past_them_When_built_Then_the_declared_count_bounds_the_labels()
    {
        var images = TinyData.IdxImages(12, 2, 2);
        var labels = Labels(12, 3);
        labels[5] = 3; // classes 0..3 all have examples, but only 3 names were declared

        var error = Assert.Throws<DataException>(() => IdxDataset.Build("t", "t",
            (images, "train-images"), (TinyData.Idx([12], labels), "train-labels"),
            (TinyData.IdxImages(3, 2, 2), "test-images"), (TinyData.IdxLabels(3, 3), "test-labels"), ["a", "b", "c"]));

        Assert.Equal("train-labels", error.File);
        Assert.Equal($"byte {LabelsStart + 5}", error.Place);
        Assert.Equal("a label from 0 to 2 (the 3 classes of this dataset), found 3", error.Expected);
    }

    [Fact]
    public void Given_labels_that_cover_every_class_When_loaded_Then_the_classes_are_the_labels()
    {
        using var temp = new TempFolder();
        var idx = WriteWithLabels(temp);

        using var data = DataSpec.Load(idx);

        Assert.Equal(10, data.ClassCount);
    }
}
