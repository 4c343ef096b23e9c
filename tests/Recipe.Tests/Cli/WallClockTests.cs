using Recipe.Cli.Commands;

namespace Recipe.Tests.Cli;

public class WallClockTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("2m30s", 150)]
    public void Given_a_duration_as_people_write_it_When_parsed_Then_it_is_that_many_seconds(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WallClock.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("0s")]
    [InlineData("5 minutes")]
    [InlineData("30s10m")]
    [InlineData("-5m")]
    public void Given_text_that_is_no_positive_duration_When_parsed_Then_there_is_none(string text) =>
        Assert.Null(WallClock.Parse(text));
}
