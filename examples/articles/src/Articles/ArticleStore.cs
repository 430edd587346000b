using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Articles;

/// <summary>
/// SQLite-backed article storage. One connection per operation; WAL mode and a busy
/// timeout let several replicas (processes) share the same database file.
/// </summary>
public sealed class ArticleStore
{
    private const int BusyTimeoutMs = 5000;
    private readonly string _connectionString;

    public ArticleStore(string databasePath)
    {
        var fullPath = Path.GetFullPath(databasePath);
        var dir = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        DatabasePath = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    public string DatabasePath { get; }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs};";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Creates the schema, switches to WAL and seeds 3 articles when empty.</summary>
    public void Initialize()
    {
        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        // BEGIN IMMEDIATE takes the write lock up front, so two replicas starting at the
        // same time cannot both see an empty table and seed twice.
        using var tx = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = tx;
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS articles (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                """;
            create.ExecuteNonQuery();
        }

        using (var count = connection.CreateCommand())
        {
            count.Transaction = tx;
            count.CommandText = "SELECT COUNT(*) FROM articles;";
            if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                (string Title, string Body)[] seed =
                [
                    ("Bienvenue", "Premier article de l'application articles."),
                    ("Docker Swarm", "Services, répliques, restart policy, drain et scale."),
                    ("Stratégies de déploiement", "Rolling, blue/green et canary."),
                ];
                foreach (var (title, body) in seed)
                {
                    Insert(connection, tx, title, body);
                }
            }
        }

        tx.Commit();
    }

    public IReadOnlyList<Article> List()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, title, body, created_at FROM articles ORDER BY id;";
        using var reader = cmd.ExecuteReader();
        var result = new List<Article>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    }

    public Article? Get(long id)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, title, body, created_at FROM articles WHERE id = $id;";
        cmd.Parameters.AddWithValue("$id", id);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public Article Add(string title, string body)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction(deferred: false);
        var article = Insert(connection, tx, title, body);
        tx.Commit();
        return article;
    }

    public bool Delete(long id)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM articles WHERE id = $id;";
        cmd.Parameters.AddWithValue("$id", id);
        return cmd.ExecuteNonQuery() > 0;
    }

    private static Article Insert(SqliteConnection connection, SqliteTransaction tx, string title, string body)
    {
        var createdAt = DateTimeOffset.UtcNow;
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO articles (title, body, created_at) VALUES ($title, $body, $created);
            SELECT last_insert_rowid();
            """;
        cmd.Parameters.AddWithValue("$title", title);
        cmd.Parameters.AddWithValue("$body", body);
        cmd.Parameters.AddWithValue("$created", createdAt.ToString("O", CultureInfo.InvariantCulture));
        var id = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        return new Article(id, title, body, createdAt);
    }

    private static Article Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
}
