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

    /// <exception cref="Data.DataException">The path is a folder, or a file that is not an SQLite database.</exception>
    public RecipeStore(string path)
    {
        if (Directory.Exists(path))
            throw new Data.DataException(path, "path", "an SQLite database file (or a path where one can be created), found a folder");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        try
        {
            _connection.Open();
            CreateSchema();
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            // SQLite opens any file lazily and finds out at the first statement that it is not a database.
            throw e.SqliteErrorCode == NotADatabase
                ? new Data.DataException(path, "byte 0", "an SQLite database (a file starting with 'SQLite format 3'), found other content")
                : new Data.DataException(path, "path", $"an SQLite database that can be opened for writing, found an error: {e.Message}");
        }
    }

    /// <summary>SQLITE_NOTADB: the file exists and is not a database.</summary>
    const int NotADatabase = 26;

    void CreateSchema() =>
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
