using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Berth.Store;

/// <summary>Queries and writes inside one store transaction; handed out by <see cref="BerthStore"/>.</summary>
public sealed partial class StoreTransaction
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly ReleaseSpecCache _specs;
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);

    internal StoreTransaction(SqliteConnection connection, SqliteTransaction transaction, ReleaseSpecCache specs)
    {
        _connection = connection;
        _transaction = transaction;
        _specs = specs;
    }

    /// <summary>The services whose row, replicas, rollouts or releases this transaction wrote.</summary>
    internal IReadOnlyCollection<string> Touched => _touched;

    /// <summary>Notes that this transaction writes <paramref name="service"/>'s state (see <see cref="ServiceSnapshotCache"/>).</summary>
    private void Touch(string service) => _touched.Add(service);

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? value) => value is null ? null : Time(value.Value);

    private static DateTimeOffset ReadTime(SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static DateTimeOffset? ReadOptionalTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    private static string? ReadOptionalString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static int? ReadOptionalInt(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    private static long? ReadOptionalLong(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
