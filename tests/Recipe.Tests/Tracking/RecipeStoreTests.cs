using Recipe.Data;
using Recipe.Tests.Support;
using Recipe.Tracking;

namespace Recipe.Tests.Tracking;

/// <summary>A store path that is not an SQLite database is bad input naming the path, not a raw SQLite error.</summary>
public class RecipeStoreTests
{
    [Fact]
    public void Given_a_folder_as_the_store_When_opened_Then_the_folder_is_named()
    {
        using var temp = new TempFolder();

        var error = Assert.Throws<DataException>(() => new RecipeStore(temp.Path));

        Assert.Equal(temp.Path, error.File);
        Assert.Equal("an SQLite database file (or a path where one can be created), found a folder", error.Expected);
    }

    [Fact]
    public void Given_a_text_file_as_the_store_When_opened_Then_its_content_is_blamed_and_the_file_is_left_as_it_was()
    {
        using var temp = new TempFolder();
        var notes = TinyData.WriteText(temp.Combine("notes.txt"), "these are my notes, not a database\n");

        var error = Assert.Throws<DataException>(() => new RecipeStore(notes));

        Assert.Equal(notes, error.File);
        Assert.Equal("byte 0", error.Place);
        Assert.StartsWith("an SQLite database", error.Expected);
        Assert.Equal("these are my notes, not a database\n", File.ReadAllText(notes));
    }

    [Fact]
    public void Given_a_new_path_When_opened_twice_Then_the_database_is_created_and_reopened()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("runs", "recipe.db");

        using (var store = new RecipeStore(path))
            store.Execute("INSERT INTO human_annotations VALUES ('d', 'test', 1, 1, 2, 2, 'now')");
        using var again = new RecipeStore(path);
        using var count = again.Command("SELECT COUNT(*) FROM human_annotations");

        Assert.Equal(1L, count.ExecuteScalar());
    }
}
