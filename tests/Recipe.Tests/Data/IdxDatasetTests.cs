using Recipe.Data;
using Recipe.Tests.Support;
using static TorchSharp.torch;

namespace Recipe.Tests.Data;

public class IdxDatasetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Given_an_IDX_folder_raw_or_gzip_When_read_Then_shapes_pixels_and_labels_are_right(bool gzip)
    {
        using var temp = new TempFolder();
        TinyData.WriteIdxFolder(temp.Path, trainCount: 30, testCount: 9, rows: 4, columns: 3, classes: 3, gzip: gzip);

        using var data = IdxDataset.FromFolder(temp.Path, "tiny");

        Assert.Equal(DataFormat.Idx, data.Format);
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(["0", "1", "2"], data.ClassNames);
        Assert.Equal([1L, 4, 3], data.ExampleShape);
        Assert.Equal(30, data.Train.Count + data.Validation.Count);
        Assert.Equal(9, data.Test.Count);
        Assert.Equal([9L, 1, 4, 3], data.Test.Inputs.shape);
        Assert.Equal(ScalarType.Byte, data.Test.Inputs.dtype);
        Assert.Equal(ScalarType.Int64, data.Test.Targets.dtype);
        AssertExamplesMatchTheFile(data.Test, columns: 3, classes: 3);
        AssertExamplesMatchTheFile(data.Train, columns: 3, classes: 3);
        AssertExamplesMatchTheFile(data.Validation, columns: 3, classes: 3);
    }

    /// <summary>Each example's pixels and label are those written for its index in the file (labels stay with their images).</summary>
    static void AssertExamplesMatchTheFile(DataSplit split, int columns, int classes)
    {
        var labels = split.Targets.data<long>().ToArray();
        var pixels = split.Inputs.data<byte>().ToArray(); // (N, 1, rows, columns) flattened
        int rows = (int)split.Inputs.shape[2];
        for (int i = 0; i < split.Count; i++)
        {
            int n = (int)split.SourceIndices[i];
            Assert.Equal(TinyData.Label(n, classes), labels[i]);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                    Assert.Equal(TinyData.Pixel(n, r, c, columns), pixels[(i * rows + r) * columns + c]);
        }
    }

    [Fact]
    public void Given_class_names_for_the_labels_When_read_Then_they_name_the_classes()
    {
        using var temp = new TempFolder();
        TinyData.WriteIdxFolder(temp.Path, trainCount: 30, testCount: 4, classes: 3);

        using var data = IdxDataset.FromFolder(temp.Path, "tiny", ["cat", "dog", "eel"]);

        Assert.Equal(["cat", "dog", "eel"], data.ClassNames);
    }

    [Fact]
    public void Given_fewer_labels_than_images_When_read_Then_the_labels_file_and_both_counts_are_named()
    {
        using var temp = new TempFolder();
        TinyData.WriteIdxFolder(temp.Path, trainCount: 10, testCount: 4);
        var labels = TinyData.WriteIdx(temp.Combine("train-labels-idx1-ubyte"), TinyData.IdxLabels(9, classes: 3));

        var error = Assert.Throws<DataException>(() => IdxDataset.FromFolder(temp.Path, "tiny"));

        Assert.Equal(labels, error.File);
        Assert.Equal("byte 4", error.Place);
        Assert.Contains("(10)", error.Expected);
        Assert.Contains("found 9", error.Expected);
    }

    [Fact]
    public void Given_files_with_no_examples_When_read_Then_it_fails_with_the_file_named()
    {
        using var temp = new TempFolder();
        TinyData.WriteIdxFolder(temp.Path, trainCount: 10, testCount: 0);

        var error = Assert.Throws<DataException>(() => IdxDataset.FromFolder(temp.Path, "tiny"));

        Assert.Equal(temp.Combine("t10k-images-idx3-ubyte"), error.File);
        Assert.Equal("byte 4", error.Place);
        Assert.Contains("at least one", error.Expected);
    }

    [Fact]
    public void Given_test_images_of_another_size_When_read_Then_the_test_file_is_blamed()
    {
        using var temp = new TempFolder();
        TinyData.WriteIdxFolder(temp.Path, trainCount: 30, testCount: 4, rows: 4, columns: 3);
        TinyData.WriteIdx(temp.Combine("t10k-images-idx3-ubyte"), TinyData.IdxImages(4, rows: 4, columns: 4));

        var error = Assert.Throws<DataException>(() => IdxDataset.FromFolder(temp.Path, "tiny"));

        Assert.Equal(temp.Combine("t10k-images-idx3-ubyte"), error.File);
        Assert.Contains("4x3", error.Expected);
        Assert.Contains("found 4x4", error.Expected);
    }

    [Fact]
    public void Given_a_folder_without_the_test_files_When_read_Then_the_expected_names_are_listed()
    {
        using var temp = new TempFolder();
        TinyData.WriteIdxFolder(temp.Path, trainCount: 10, testCount: 4);
        File.Delete(temp.Combine("t10k-labels-idx1-ubyte"));

        var error = Assert.Throws<DataException>(() => IdxDataset.FromFolder(temp.Path, "tiny"));

        Assert.Equal(temp.Path, error.File);
        Assert.Contains("t10k-", error.Expected);
    }
}
