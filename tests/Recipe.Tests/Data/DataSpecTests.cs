using Recipe.Data;
using Recipe.Tests.Support;
using SkiaSharp;

namespace Recipe.Tests.Data;

public class DataSpecTests
{
    static int[] Labels(DataSplit split) => split.Targets.data<long>().Select(l => (int)l).ToArray();

    [Fact]
    public void Given_the_embedded_sample_When_loaded_Then_it_has_5400_train_600_validation_1000_test_in_10_classes()
    {
        using var data = DataSpec.Load("fashion-mnist-sample");

        Assert.Equal([5400, 600, 1000], data.Splits.Select(s => s.Count));
        Assert.Equal(IdxDataset.FashionMnistClasses, data.ClassNames);
        Assert.Equal([1L, 28, 28], data.ExampleShape);
        // The sample is balanced (600 train images per class), so stratified carving keeps 60 of each.
        Assert.All(Labels(data.Validation).GroupBy(l => l), g => Assert.Equal(60, g.Count()));
        Assert.All(Labels(data.Train).GroupBy(l => l), g => Assert.Equal(540, g.Count()));
        Assert.Equal(10, Labels(data.Test).Distinct().Count());
    }

    [Fact]
    public void Given_the_embedded_sample_loaded_twice_When_validation_is_carved_Then_the_same_examples_are_held_out_and_none_are_trained_on()
    {
        using var first = DataSpec.Load("fashion-mnist-sample");
        using var second = DataSpec.Load("fashion-mnist-sample");

        Assert.Equal(first.Validation.SourceIndices, second.Validation.SourceIndices);
        Assert.Empty(first.Train.SourceIndices.Intersect(first.Validation.SourceIndices));
        Assert.Equal(6000, first.Train.SourceIndices.Union(first.Validation.SourceIndices).Count());
        Assert.True(first.Validation.Inputs.eq(second.Validation.Inputs).all().item<bool>());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_the_system_Fashion_MNIST_When_loaded_Then_it_has_54000_train_6000_validation_10000_test()
    {
        Assert.True(Directory.Exists(DataSpec.SystemFashionMnist), $"{DataSpec.SystemFashionMnist} is missing: apt-get install dataset-fashion-mnist");

        using var data = DataSpec.Load("fashion-mnist");

        Assert.Equal(DataSpec.SystemFashionMnist, data.Source);
        Assert.Equal([54000, 6000, 10000], data.Splits.Select(s => s.Count));
        Assert.Equal(IdxDataset.FashionMnistClasses, data.ClassNames);
        // Fashion-MNIST's training set has 6,000 images per class: 600 of each are held out.
        Assert.All(Labels(data.Validation).GroupBy(l => l), g => Assert.Equal(600, g.Count()));
        Assert.Empty(data.Train.SourceIndices.Intersect(data.Validation.SourceIndices));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_the_system_word_list_When_loaded_by_name_Then_every_word_is_a_sequence()
    {
        Assert.True(File.Exists(DataSpec.SystemWords), $"{DataSpec.SystemWords} is missing: apt-get install wamerican");

        using var data = DataSpec.Load("words");

        var lines = File.ReadLines(DataSpec.SystemWords).Count(l => l.Length > 0);
        Assert.Equal(TaskKind.Sequence, data.Task);
        Assert.Equal(lines, data.Splits.Sum(s => s.Count));
    }

    [Fact]
    public void Given_paths_of_each_kind_When_detected_Then_the_format_follows_what_is_there()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), 4, 2);
        var images = TinyData.WriteImageClasses(temp.Combine("images"), ["a"], [SKColors.Red], perClass: 1);
        var csv = TinyData.WriteCsv(temp.Combine("t.CSV"), "x,y", "1,2");
        var text = TinyData.WriteText(temp.Combine("names"), "ann\nbob\n");

        Assert.Equal(DataFormat.Idx, DataSpec.Detect(idx));
        Assert.Equal(DataFormat.Idx, DataSpec.Detect(Path.Combine(idx, "train-images-idx3-ubyte")));
        Assert.Equal(DataFormat.ImageFolder, DataSpec.Detect(images));
        Assert.Equal(DataFormat.Csv, DataSpec.Detect(csv));
        Assert.Equal(DataFormat.TextLines, DataSpec.Detect(text));
    }

    [Fact]
    public void Given_one_IDX_file_of_a_folder_When_loaded_Then_the_whole_folder_is_read()
    {
        using var temp = new TempFolder();
        TinyData.WriteIdxFolder(temp.Path, trainCount: 20, testCount: 5, gzip: true);

        using var data = DataSpec.Load(temp.Combine("t10k-labels-idx1-ubyte.gz"));

        Assert.Equal(20, data.Train.Count + data.Validation.Count);
        Assert.Equal(5, data.Test.Count);
    }

    [Fact]
    public void Given_an_empty_folder_When_loaded_Then_the_folder_is_blamed_as_empty()
    {
        using var temp = new TempFolder();

        var error = Assert.Throws<DataException>(() => DataSpec.Load(temp.Path));

        Assert.Equal(temp.Path, error.File);
        Assert.Contains("empty folder", error.Expected);
    }

    [Fact]
    public void Given_a_path_that_does_not_exist_When_loaded_Then_the_path_is_named()
    {
        using var temp = new TempFolder();
        var missing = temp.Combine("nope.csv");

        var error = Assert.Throws<DataException>(() => DataSpec.Load(missing));

        Assert.Equal(missing, error.File);
        Assert.Contains("existing file or folder", error.Expected);
    }
}
