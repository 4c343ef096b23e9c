using Recipe.Data;
using Recipe.Tests.Support;

namespace Recipe.Tests.Data;

/// <summary>--task decides whether a CSV target is classes or a number; a guess about integers is said in the notes.</summary>
public class TargetTaskTests
{
    /// <summary>210 rows whose integer target takes 30 values (more than the 20 taken as classes without --task), 7 rows each so every split gets each class.</summary>
    static string WriteManyIntegers(TempFolder temp) =>
        TinyData.WriteCsv(temp.Combine("ages.csv"), ["x,age", .. Enumerable.Range(0, 210).Select(i => FormattableString.Invariant($"{i * 0.1:0.0},{i % 30}"))]);

    [Fact]
    public void Given_30_distinct_integers_When_read_without_task_Then_regression_and_a_note_says_how_to_ask_for_classes()
    {
        using var temp = new TempFolder();

        using var data = CsvDataset.Read(WriteManyIntegers(temp), targetColumn: null);

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Contains(data.Notes, n => n.Contains("30 distinct integers") && n.Contains("--task classification"));
    }

    [Fact]
    public void Given_30_distinct_integers_and_task_classification_When_read_Then_30_classes()
    {
        using var temp = new TempFolder();

        using var data = CsvDataset.Read(WriteManyIntegers(temp), new ReadOptions(Task: TaskKind.Classification));

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(30, data.ClassCount);
        Assert.Empty(data.Notes);
    }

    [Fact]
    public void Given_a_few_integers_and_task_regression_When_read_Then_regression()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,y", .. Enumerable.Range(0, 30).Select(i => $"{i},{i % 3}")]);

        using var guessed = CsvDataset.Read(path, targetColumn: null);
        using var asked = CsvDataset.Read(path, new ReadOptions(Task: TaskKind.Regression));

        Assert.Equal(TaskKind.Classification, guessed.Task);
        Assert.Contains(guessed.Notes, n => n.Contains("--task regression"));
        Assert.Equal(TaskKind.Regression, asked.Task);
        Assert.Equal([0f, 1f, 2f], asked.Train.Targets.data<float>().ToArray().Distinct().Order());
    }

    [Fact]
    public void Given_a_fractional_target_and_task_classification_When_read_Then_the_first_fraction_is_blamed()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,y", "1,0", "2,1", "3,2.5", "4,1"]);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, new ReadOptions(Task: TaskKind.Classification)));

        Assert.Equal("line 4, column 'y'", error.Place);
        Assert.Equal("a whole-number class label for --task classification, found '2.5'", error.Expected);
    }

    [Fact]
    public void Given_a_target_of_words_and_task_regression_When_read_Then_the_first_word_is_blamed()
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,y", "1,cat", "2,dog", "3,cat"]);

        var error = Assert.Throws<DataException>(() => CsvDataset.Read(path, new ReadOptions(Task: TaskKind.Regression)));

        Assert.Equal("line 2, column 'y'", error.Place);
        Assert.Equal("a number for --task regression, found 'cat'", error.Expected);
    }

    [Theory]
    [InlineData("yes", null)]
    [InlineData("3.5", null)]
    [InlineData("2", "Classification")]
    public void Given_a_target_with_one_value_When_read_Then_it_is_refused_at_load(string value, string? task)
    {
        using var temp = new TempFolder();
        var path = TinyData.WriteCsv(temp.Combine("t.csv"), ["x,y", .. Enumerable.Range(0, 40).Select(i => $"{i},{value}")]);

        var error = Assert.Throws<DataException>(() =>
            CsvDataset.Read(path, new ReadOptions(Task: task is null ? null : Enum.Parse<TaskKind>(task))));

        Assert.Equal("column 'y'", error.Place);
        Assert.StartsWith("at least 2 different target values", error.Expected);
        Assert.EndsWith($"found only '{value}' in all 40 rows", error.Expected);
    }

    [Theory]
    [InlineData("regression")]
    [InlineData("sequence")]
    public void Given_a_task_that_an_IDX_folder_cannot_have_When_loaded_Then_the_option_is_blamed(string task)
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), 20, 5);

        var error = Assert.Throws<DataException>(() => DataSpec.Load(idx, new ReadOptions(Task: Enum.Parse<TaskKind>(task, ignoreCase: true))));

        Assert.Equal("--task", error.Place);
        Assert.Contains("always classification", error.Expected);
    }

    [Fact]
    public void Given_task_classification_for_an_IDX_folder_When_loaded_Then_it_is_what_the_data_is_anyway()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), 20, 5);

        using var data = DataSpec.Load(idx, new ReadOptions(Task: TaskKind.Classification));

        Assert.Equal(TaskKind.Classification, data.Task);
    }
}
