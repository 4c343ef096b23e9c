using Microsoft.Data.Sqlite;

namespace Recipe.Tracking;

/// <summary>
/// The project's SQLite store (default runs/recipe.db): what must outlive one command, such as human
/// annotations. Opened per use; the schema is created on first use.
/// </summary>
public sealed class RecipeStore : IDisposable
{
    public const string DefaultPath = "runs/recipe.db";
    readonly SqliteConnection _connection;

    public RecipeStore(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        _connection.Open();
        Execute("""
            CREATE TABLE IF NOT EXISTS human_annotations (
                dataset   TEXT    NOT NULL,  -- DataSpec source, e.g. /usr/share/datasets/fashion-mnist
                split     TEXT    NOT NULL,
                example   INTEGER NOT NULL,  -- index in the split
                pass      INTEGER NOT NULL,  -- 1 = first annotation, 2 = second (for agreement)
                answer    INTEGER NOT NULL,  -- class index the person chose
                truth     INTEGER NOT NULL,  -- the dataset's label
                annotated TEXT    NOT NULL,
                PRIMARY KEY (dataset, split, example, pass))
            """);
    }

    public SqliteConnection Connection => _connection;

    public void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    public SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    public void Dispose()
    {
        _connection.Dispose();
        SqliteConnection.ClearAllPools(); // release the file now, so tests and users can move or delete it
    }
}
