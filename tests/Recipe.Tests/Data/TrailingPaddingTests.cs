using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Support;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Data;

public class TrailingPaddingTests
{
    /// <summary>Short lines and one long one: the file's width is the long line's, most batches need far less.</summary>
    static Dataset Lines(TempFolder temp)
    {
        var lines = Enumerable.Range(0, 40).Select(i => new string((char)('a' + i % 5), 2 + i % 3)).Append(new string('z', 30));
        return TextLinesDataset.Read(TinyData.WriteText(temp.Combine("lines.txt"), string.Join("\n", lines) + "\n"));
    }

    [Fact]
    public void Given_a_batch_of_short_lines_in_a_file_with_a_long_one_When_loaded_Then_it_is_cut_after_its_longest_line()
    {
        using var temp = new TempFolder();
        using var data = Lines(temp);
        var shortLines = Enumerable.Range(0, data.Train.Count).Where(i => data.Train.Targets[i].ne(Losses.IgnoreIndex).sum().item<long>() <= 5).Select(i => (long)i).ToArray();
        using var split = data.Train.Subset("short", shortLines);

        var (inputs, targets) = new BatchLoader(split, batchSize: split.Count, shuffle: false, trimPadding: true).Batches().Single();
        var (_, whole) = new BatchLoader(split, batchSize: split.Count, shuffle: false).Batches().Single();

        long longest = split.Targets.ne(Losses.IgnoreIndex).sum(1).max().item<long>(); // characters + the end token
        Assert.Equal(31L, data.ExampleShape[0]);
        Assert.Equal(31L, whole.shape[1]); // not asked to trim: every batch as wide as the file (checks join batches)
        Assert.Equal([split.Count, longest], targets.shape);
        Assert.Equal(targets.shape, inputs.shape);
        Assert.True(split.Targets.narrow(1, longest, 31 - longest).eq(Losses.IgnoreIndex).all().item<bool>()); // only ignored targets were cut
        Assert.True(inputs.eq(split.Inputs.narrow(1, 0, longest)).all().item<bool>());
    }

    [Fact]
    public void Given_a_causal_model_When_a_batch_is_cut_Then_the_loss_is_the_same_as_on_the_padded_batch()
    {
        using var temp = new TempFolder();
        using var data = Lines(temp);
        manual_seed(3);
        using var model = new CausalCharConv(data.Vocabulary!.Size, hidden: 8, context: CausalCharConv.ContextFor(data.ExampleShape[0]));
        using var index = arange(10, dtype: ScalarType.Int64);
        var (x, y) = (data.Train.Inputs.index_select(0, index), data.Train.Targets.index_select(0, index));
        var (cutX, cutY) = TrailingPadding.Trim(x.clone(), y.clone());

        Assert.True(cutX.shape[1] < x.shape[1], "the batch should have been cut");
        using var _ = no_grad();
        double padded = Losses.For(TaskKind.Sequence, model.call(x), y).item<float>();
        double cut = Losses.For(TaskKind.Sequence, model.call(cutX), cutY).item<float>();
        Assert.Equal(padded, cut, 5);
    }

    [Fact]
    public void Given_images_tables_or_one_hot_sequences_When_checked_Then_no_batch_is_cut()
    {
        Assert.False(TrailingPadding.Applies(zeros([4, 1, 8, 8], dtype: ScalarType.Byte), zeros([4], dtype: ScalarType.Int64)));
        Assert.False(TrailingPadding.Applies(zeros([4, 3]), zeros([4], dtype: ScalarType.Int64)));
        Assert.False(TrailingPadding.Applies(zeros([4, 6, 5]), full([4, 6], -1L, dtype: ScalarType.Int64)));
        Assert.True(TrailingPadding.Applies(zeros([4, 6], dtype: ScalarType.Int64), full([4, 6], -1L, dtype: ScalarType.Int64)));
    }

    [Fact]
    public void Given_a_batch_with_no_counted_target_When_trimmed_Then_it_stays_whole()
    {
        var (x, y) = TrailingPadding.Trim(zeros([2, 6], dtype: ScalarType.Int64), full([2, 6], -1L, dtype: ScalarType.Int64));

        Assert.Equal([2L, 6L], y.shape);
        Assert.Equal([2L, 6L], x.shape);
    }
}
