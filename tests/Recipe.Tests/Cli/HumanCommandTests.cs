using Recipe.Tests.Support;
using SkiaSharp;

namespace Recipe.Tests.Cli;

/// <summary>`recipe human` in the terminal: the person sees the example, never what would give its label away.</summary>
public class HumanCommandTests
{
    [Fact]
    public void Given_an_image_folder_whose_paths_name_the_class_When_labelled_in_the_terminal_Then_no_path_or_file_name_is_shown()
    {
        using var temp = new TempFolder();
        var folder = TinyData.WriteImageClasses(temp.Combine("pets"), ["cat", "dog"], [SKColors.Red, SKColors.Blue], perClass: 12);
        var (input, output) = (Console.In, Console.Out);
        Console.SetIn(new StringReader("s\ns\nq\n")); // skip, skip, stop: nothing is stored, two examples are shown
        Console.SetOut(new StringWriter());           // the prompts
        try
        {
            var run = CliRun.Of("human", "--data", folder, "--n", "3", "--store", temp.Combine("human.db"));

            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
            Assert.Contains("example 1/3", run.Stdout);
            Assert.Contains("example 3/3", run.Stdout);
            Assert.DoesNotContain(folder, run.Stdout);
            Assert.DoesNotContain("cat/", run.Stdout);
            Assert.DoesNotContain("dog/", run.Stdout);
            Assert.DoesNotContain(".png", run.Stdout);
        }
        finally
        {
            Console.SetIn(input);
            Console.SetOut(output);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
