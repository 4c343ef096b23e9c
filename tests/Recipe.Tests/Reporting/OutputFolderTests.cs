using Recipe.Reporting;
using Recipe.Tests.Support;

namespace Recipe.Tests.Reporting;

/// <summary>The output folder may be the user's: Recipe replaces only the files it listed as its own.</summary>
public class OutputFolderTests
{
    /// <summary>Writes a file, creating its folders (a user's file in a folder of their own).</summary>
    static string WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return TinyData.WriteText(path, content);
    }

    /// <summary>Stages <paramref name="files"/> (relative paths, content = path) and commits them to <paramref name="folder"/>.</summary>
    static void Commit(string folder, params string[] files)
    {
        using var output = new OutputFolder(folder, force: true); // these tests are about what a commit keeps beside the user's files
        foreach (var file in files)
        {
            var path = output.PathOf(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }
        output.Commit();
    }

    static string[] FilesIn(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Given_an_earlier_run_with_weights_When_a_run_without_weights_commits_Then_the_folder_holds_exactly_the_new_outputs()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("out");
        Commit(folder, "report.html", "summary.json", "model.bin", "checks/a.png", "checks/b.png");

        Commit(folder, "report.html", "summary.json", "checks/a.png");

        Assert.Equal([OutputFolder.MarkerName, "checks/a.png", "report.html", "summary.json"], FilesIn(folder));
        Assert.Empty(OutputFolder.ForeignEntries(folder));
    }

    [Fact]
    public void Given_a_folder_with_the_users_own_checks_and_inspect_subfolders_When_a_run_commits_into_it_Then_their_files_are_kept()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("out");
        WriteFile(Path.Combine(folder, "checks", "my-notes.txt"), "mine");
        WriteFile(Path.Combine(folder, "inspect", "labels.csv"), "mine");
        WriteFile(Path.Combine(folder, "train.py"), "mine");

        Commit(folder, "report.html", "checks/a.png", "inspect/report.html");
        Commit(folder, "report.html", "summary.json"); // a second run removes its own checks/ and inspect/ files only

        Assert.Equal(["checks", "inspect", "train.py"], OutputFolder.ForeignEntries(folder)); // no file of Recipe's is left in either
        Assert.Equal([OutputFolder.MarkerName, "checks/my-notes.txt", "inspect/labels.csv", "report.html", "summary.json", "train.py"], FilesIn(folder));
    }

    [Fact]
    public void Given_a_file_the_user_added_inside_a_folder_Recipe_wrote_When_listed_Then_it_is_foreign_and_a_new_commit_keeps_it()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("out");
        Commit(folder, "report.html", "checks/a.png");
        WriteFile(Path.Combine(folder, "checks", "keep.txt"), "mine");

        Assert.Equal(["checks/keep.txt"], OutputFolder.ForeignEntries(folder));
        Commit(folder, "report.html");

        Assert.True(File.Exists(Path.Combine(folder, "checks", "keep.txt")));
        Assert.False(File.Exists(Path.Combine(folder, "checks", "a.png")));
    }

    [Fact]
    public void Given_a_folder_holding_a_users_file_When_opened_without_force_Then_it_is_refused_naming_the_file_and_with_force_it_is_kept()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("out");
        WriteFile(Path.Combine(folder, "train.py"), "mine");

        var refused = Assert.Throws<OutputFolderException>(() => new OutputFolder(folder));
        Assert.Contains("'train.py'", refused.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path, "*partial*")); // refused before staging anything

        Commit(folder, "report.html"); // forced
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "train.py")));
    }

    [Fact]
    public void Given_a_users_report_html_When_a_run_would_write_one_Then_it_is_a_collision_and_commit_refuses_without_replacing_it()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("out");
        WriteFile(Path.Combine(folder, "report.html"), "mine");
        WriteFile(Path.Combine(folder, "checks"), "a file where Recipe puts a folder");
        WriteFile(Path.Combine(folder, "notes.txt"), "mine");

        Assert.Equal(["checks", "report.html"], OutputFolder.Collisions(folder));
        Assert.Throws<OutputFolderException>(() => Commit(folder, "report.html", "summary.json"));

        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.False(File.Exists(Path.Combine(folder, "summary.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path, "*partial*"));
    }

    [Fact]
    public void Given_a_marker_that_names_paths_outside_the_folder_When_committing_Then_they_are_not_deleted()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("out");
        var outside = TinyData.WriteText(temp.Combine("precious.txt"), "mine");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, OutputFolder.MarkerName), ["../precious.txt", outside]);

        Commit(folder, "report.html");

        Assert.True(File.Exists(outside));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a-file")]
    [InlineData("a-file/below")]
    [InlineData("/")]
    public void Given_a_path_that_cannot_be_an_output_folder_When_resolved_Then_it_is_refused_with_the_reason(string path)
    {
        using var temp = new TempFolder();
        TinyData.WriteText(temp.Combine("a-file"), "x");
        var relative = path.StartsWith("a-file") ? temp.Combine(path) : path;

        var refused = Assert.Throws<OutputFolderException>(() => OutputFolder.FullPathOf(relative));

        Assert.Contains("expected a folder", refused.Message);
    }
}
