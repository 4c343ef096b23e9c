using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

public class QueryTests
{
    /// <summary>A small table: label (number and name), split, and one statistic with a missing value.</summary>
    sealed class Rows : IQueryFields
    {
        readonly (long Label, string Name, string Split, double Contrast)[] _rows =
        [
            (3, "Dress", "train", 20), (3, "Dress", "test", 5), (1, "Trouser", "train", 40),
            (3, "Dress", "train", double.NaN), (0, "T-shirt/top", "train", 12),
        ];
        public int Count => _rows.Length;
        public IReadOnlyList<string> Fields { get; } = ["label", "split", "contrast"];
        public double? Number(string field, int row) => field switch { "label" => _rows[row].Label, "contrast" => _rows[row].Contrast, _ => null };
        public string? Text(string field, int row) => field switch { "label" => _rows[row].Name, "split" => _rows[row].Split, _ => null };
    }

    [Theory]
    [InlineData("label=3", null, new[] { 0, 1, 3 })]
    [InlineData("label=dress", null, new[] { 0, 1, 3 })]
    [InlineData("label=3 and split=train", null, new[] { 0, 3 })]
    [InlineData("label!=3, contrast>=12", null, new[] { 2, 4 })]
    [InlineData("contrast<20", "contrast", new[] { 1, 4 })]
    [InlineData(null, "contrast:desc", new[] { 2, 0, 4, 1, 3 })]
    [InlineData("label=\"T-shirt/top\"", null, new[] { 4 })]
    public void Given_conditions_and_a_sort_When_run_Then_exactly_the_matching_rows_come_in_order(string? where, string? sort, int[] expected)
    {
        var result = Query.Parse(where, sort, null)!.Run(new Rows());
        Assert.Equal(expected, result.Rows);
    }

    [Fact]
    public void Given_top_When_run_Then_rows_are_cut_but_all_matches_are_counted()
    {
        var result = Query.Parse("label=3", "contrast", 2)!.Run(new Rows());
        Assert.Equal([1, 0], result.Rows);
        Assert.Equal(3, result.Matched);
    }

    [Theory]
    [InlineData("colour=red", null, "unknown field 'colour'")]
    [InlineData("label", null, "cannot read 'label'")]
    [InlineData("split<train", null, "allows only = and !=")]
    [InlineData(null, "contrast:up", "--sort")]
    public void Given_a_bad_query_When_run_Then_the_message_says_what_was_expected(string? where, string? sort, string message)
    {
        var e = Assert.Throws<QueryException>(() => Query.Parse(where, sort, null)!.Run(new Rows()));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Given_no_query_option_When_parsed_Then_there_is_no_query()
    {
        Assert.Null(Query.Parse(null, null, null));
        Assert.Throws<QueryException>(() => Query.Parse(null, null, 0));
    }
}
