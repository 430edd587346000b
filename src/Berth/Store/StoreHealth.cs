using Microsoft.Data.Sqlite;

namespace Berth.Store;

/// <summary>
/// Checks the store before a server uses it: a file that is not a SQLite database, or one SQLite finds damaged
/// (`PRAGMA quick_check`), is reported with what to do — never opened, migrated or written to.
/// </summary>
public static class StoreHealth
{
    /// <summary>Null when the store is sound (or does not exist yet); else what is wrong and how to recover.</summary>
    public static string? Problem(string databasePath)
    {
        var path = Path.GetFullPath(databasePath);
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return null;
        }

        string? damage;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA quick_check;";
            using var reader = check.ExecuteReader();
            var findings = new List<string>();
            while (reader.Read() && findings.Count < 5)
            {
                findings.Add(reader.GetString(0));
            }

            damage = findings is ["ok"] ? null : string.Join("; ", findings);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is 26 or 11 or 14)
        {
            // 26: not a database; 11: malformed; 14: cannot open.
            damage = exception.Message.Replace("SQLite Error ", "SQLite error ", StringComparison.Ordinal);
        }

        return damage is null
            ? null
            : $"the store {path} is damaged ({damage}). Nothing was changed. Put back a copy of it (for example one made with "
              + $"`sqlite3 {path} \".backup FILE\"` while it was sound), or move it away to start with an empty store "
              + $"(`mv {path} {path}.damaged`: every stack, release, token and event is then forgotten, and running replicas are not adopted).";
    }
}
