using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>
/// Outliers of a table column under the column's own distribution: a sparse pixel, a skewed positive measurement and
/// a 0/1 flag have none, while a value planted far outside each of them is the most extreme.
/// </summary>
public class ColumnOutliersTests
{
    const double Limit = 6;   // InspectOptions.OutlierZ

    static int[] Flagged(double[] column) =>
        ColumnOutliers.Scores(column).Z.Select((z, i) => (z, i)).Where(p => Math.Abs(p.z) > Limit).OrderByDescending(p => Math.Abs(p.z)).Select(p => p.i).ToArray();

    /// <summary>Like a digits pixel at the border: 0 in 90% of rows, otherwise anything from 1 to 16.</summary>
    static double[] SparsePixel(Random random) => Enumerable.Range(0, 1800).Select(_ => random.NextDouble() < 0.9 ? 0 : random.Next(1, 17)).Select(v => (double)v).ToArray();

    [Fact]
    public void Given_a_pixel_that_is_nearly_always_zero_When_scored_Then_its_other_values_are_not_outliers()
    {
        var column = SparsePixel(new Random(1));

        Assert.Empty(Flagged(column));
    }

    [Fact]
    public void Given_a_sparse_pixel_with_a_planted_impossible_value_When_scored_Then_only_that_value_is_flagged()
    {
        var column = SparsePixel(new Random(1));
        int planted = Array.FindIndex(column, v => v > 0);
        column[planted] = 2500;

        Assert.Equal([planted], Flagged(column));
    }

    [Fact]
    public void Given_a_log_normal_measurement_When_scored_Then_its_long_tail_is_not_outliers_but_a_value_a_thousand_times_larger_is()
    {
        var random = new Random(2);
        var column = Enumerable.Range(0, 600).Select(_ => Math.Exp(3 + 0.8 * Gauss(random))).ToArray();
        Assert.Empty(Flagged(column));

        column[17] = column.Max() * 1000;
        Assert.Equal([17], Flagged(column));
    }

    [Fact]
    public void Given_a_binary_flag_When_scored_Then_nothing_is_flagged()
    {
        var random = new Random(4);
        var column = Enumerable.Range(0, 500).Select(_ => random.NextDouble() < 0.97 ? 1.0 : 2.0).ToArray();

        Assert.Empty(Flagged(column));
    }

    static double Gauss(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
