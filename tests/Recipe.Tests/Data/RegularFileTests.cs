using System.Diagnostics;
using Recipe.Data;
using Recipe.Tests.Support;

namespace Recipe.Tests.Data;

/// <summary>Pipes and devices are refused before anything opens them (opening a FIFO blocks; /dev/zero never ends).</summary>
public class RegularFileTests
{
    static string MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    [Fact]
    public void Given_a_FIFO_named_like_a_CSV_When_detected_Then_it_is_refused_without_being_opened()
    {
        using var temp = new TempFolder();
        var fifo = MakeFifo(temp.Combine("data.csv"));

        var error = Assert.Throws<DataException>(() => DataSpec.Detect(fifo));

        Assert.Equal(fifo, error.File);
        Assert.Equal("path", error.Place);
        Assert.Equal("a regular file, found a pipe (FIFO): save the data to a file first", error.Expected);
    }

    [Fact]
    public void Given_a_FIFO_among_the_IDX_files_When_loaded_Then_it_is_refused_without_being_opened()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), 20, 5);
        var labels = Path.Combine(idx, "t10k-labels-idx1-ubyte");
        File.Delete(labels);
        MakeFifo(labels);

        var error = Assert.Throws<DataException>(() => DataSpec.Load(idx));

        Assert.Equal(labels, error.File);
        Assert.Contains("pipe", error.Expected);
    }

    [Fact]
    public void Given_dev_zero_When_detected_Then_it_is_refused_as_a_device()
    {
        var error = Assert.Throws<DataException>(() => DataSpec.Detect("/dev/zero"));

        Assert.Equal("a regular file, found a character device: save the data to a file first", error.Expected);
    }

    [Fact]
    public void Given_a_regular_file_and_a_folder_When_asked_Then_neither_is_refused()
    {
        using var temp = new TempFolder();
        var text = TinyData.WriteText(temp.Combine("names.txt"), "ann\n");

        Assert.Null(RegularFile.KindOf(text));
        Assert.Null(RegularFile.KindOf(temp.Path));
        Assert.Null(RegularFile.KindOf(temp.Combine("missing")));
    }
}
