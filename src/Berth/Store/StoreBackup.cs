using Microsoft.Data.Sqlite;

namespace Berth.Store;

/// <summary>
/// `berth backup`: a consistent copy of the store taken while the server runs (SQLite's online backup), and
/// `berth server --restore`: the store replaced by such a copy before the server starts, the old one kept aside.
/// </summary>
public static class StoreBackup
{
    /// <summary>Writes a copy of the whole store to <paramref name="destination"/> (owner-only: it holds secrets).</summary>
    public static void Write(BerthStore store, string destination)
    {
        ArgumentNullException.ThrowIfNull(store);
        File.Delete(destination);
        File.WriteAllBytes(destination, []);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, Security.OwnerOnlyFile.Mode);
        }

        using var source = store.Open();
        using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        target.Open();
        source.BackupDatabase(target);
        using var single = target.CreateCommand();

        // One file: the copy carries no write-ahead log.
        single.CommandText = "PRAGMA journal_mode=DELETE;";
        single.ExecuteNonQuery();
    }

    /// <summary>Null when <paramref name="backup"/> is a sound copy of a Berth store; else why it cannot be restored.</summary>
    public static string? Problem(string backup)
    {
        var path = Path.GetFullPath(backup);
        if (!File.Exists(path))
        {
            return $"--restore {path}: no such file";
        }

        if (StoreHealth.Problem(path) is { } damaged)
        {
            return $"--restore {path}: {damaged.Replace("the store " + path + " is damaged", "the backup is damaged", StringComparison.Ordinal).Split(". Nothing was changed", StringSplitOptions.None)[0]}; the current store was left as it is";
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('stacks', 'services', 'releases', 'replicas')";
        return Convert.ToInt32(tables.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 4
            ? null
            : $"--restore {path}: not a Berth store (made by `berth backup FILE`); the current store was left as it is";
    }

    /// <summary>Puts <paramref name="backup"/> in place of the store; the store it replaces is moved aside. Returns where.</summary>
    public static string? Restore(string backup, string databasePath, DateTimeOffset now)
    {
        string? aside = null;
        if (File.Exists(databasePath))
        {
            aside = $"{databasePath}.before-restore-{now:yyyyMMddTHHmmssZ}";
            File.Move(databasePath, aside);
            foreach (var suffix in (string[])["-wal", "-shm"])
            {
                if (File.Exists(databasePath + suffix))
                {
                    File.Move(databasePath + suffix, aside + suffix);
                }
            }
        }

        File.Copy(backup, databasePath);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(databasePath, Security.OwnerOnlyFile.Mode);
        }

        return aside;
    }

    /// <summary>The names of the stacks a store knows.</summary>
    public static HashSet<string> StackNames(string databasePath) => Strings(databasePath, "SELECT name FROM stacks");

    /// <summary>The ids of the replicas a store knows as live (not exited, not shut down): the ones adoption takes back.</summary>
    public static HashSet<string> LiveReplicaIds(string databasePath) =>
        Strings(databasePath, "SELECT id FROM replicas WHERE state NOT IN ('exited', 'shutdown')");

    private static HashSet<string> Strings(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = sql;
        using var reader = query.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
