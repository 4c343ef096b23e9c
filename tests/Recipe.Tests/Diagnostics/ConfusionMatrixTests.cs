using Recipe.Diagnostics;

namespace Recipe.Tests.Diagnostics;

public class ConfusionMatrixTests
{
    [Fact]
    public void Given_labels_and_predictions_When_counted_Then_rows_are_given_columns_predicted_and_the_top_confusion_is_the_largest_off_diagonal_cell()
    {
        long[] labels = [0, 0, 0, 1, 1, 2, 2, 2, 2];
        long[] predicted = [0, 0, 1, 1, 1, 1, 1, 2, 0];

        var matrix = new ConfusionMatrix(["a", "b", "c"], labels, predicted);

        Assert.Equal(2, matrix.Counts[0, 0]);
        Assert.Equal(1, matrix.Counts[0, 1]);
        Assert.Equal(2, matrix.Counts[2, 1]);
        Assert.Equal(9, matrix.Total);
        Assert.Equal(5 / 9.0, matrix.Accuracy, 9);
        var top = matrix.TopConfusions(2);
        Assert.Equal(new Confusion("c", "b", 2, 0.5), top[0]);
        Assert.Equal([2 / 3.0, 1.0, 0.25], matrix.RecallPerClass());
    }

    [Fact]
    public void Given_a_picture_When_drawn_Then_it_is_a_png()
    {
        var matrix = new ConfusionMatrix(["a", "b"], [0, 1, 1], [0, 0, 1]);
        var png = DiagnosticCharts.Confusion(matrix);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }
}
