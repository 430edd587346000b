using System.Runtime.CompilerServices;
using System.Text.Json;
using Berth.Spec;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Microsoft.Extensions.Options;

namespace Berth.Store;

/// <summary>The SQLite store (WAL): stacks, services, releases, replicas, restarts and events. Writes are transactional.</summary>
public sealed class BerthStore
{
    private readonly string _connectionString;
    private readonly ReleaseSpecCache _specs = new(TimeProvider.System);
    private readonly ServiceSnapshotCache _snapshots = new();
    private readonly ConditionalWeakTable<sqlite3, object> _configured = new();

    public BerthStore(IOptions<StoreOptions> options)
    {
        var path = Path.GetFullPath(options.Value.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        KeepOwnerOnly(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        StoreSchema.Apply(Open());
    }

    /// <summary>
    /// The database holds secret contents: it is made owner-only (0600) before SQLite opens it, and SQLite gives its
    /// -wal and -shm files the database file's mode. An existing store is tightened the same way.
    /// </summary>
    private static void KeepOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(path))
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, UnixCreateMode = ownerOnly }))
            {
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
        {
            try
            {
                File.SetUnixFileMode(file, ownerOnly);
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's file that this user may still use: left as its owner set it.
            }
        }
    }

    /// <summary>
    /// Opens a connection from the pool. The settings below belong to the SQLite connection, which the pool keeps
    /// open and hands out again: they are set once per SQLite connection, not on every open (the engine opens
    /// thousands a second).
    /// </summary>
    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        if (_configured.TryGetValue(connection.Handle!, out _))
        {
            return connection;
        }

        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        pragma.ExecuteNonQuery();
        _configured.AddOrUpdate(connection.Handle!, new object());
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE): all of it is written, or none.</summary>
    public async Task<T> WriteAsync<T>(Func<StoreTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var tx = new StoreTransaction(connection, transaction, _specs);
        try
        {
            var result = await work(tx);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            // Committed or not: a snapshot read meanwhile may hold either state, so it is dropped either way.
            _snapshots.Invalidate(tx.Touched);
        }
    }

    public Task WriteAsync(Func<StoreTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async tx => { await work(tx); return true; }, cancellationToken);

    /// <summary>Runs read-only queries on one connection (a consistent snapshot under WAL).</summary>
    public async Task<T> ReadAsync<T>(Func<StoreTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await work(new StoreTransaction(connection, transaction, _specs));
    }

    public Task<IReadOnlyList<ServiceRecord>> GetServicesAsync(CancellationToken cancellationToken) =>
        ReadAsync(tx => tx.GetServicesAsync(null, cancellationToken), cancellationToken);

    public Task<ServiceRecord?> GetServiceAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync(tx => tx.GetServiceAsync(name, cancellationToken), cancellationToken);

    public Task<ReleaseRecord?> GetReleaseAsync(string service, int number, CancellationToken cancellationToken) =>
        ReadAsync(tx => tx.GetReleaseAsync(service, number, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ReplicaRecord>> GetReplicasAsync(string? service, CancellationToken cancellationToken) =>
        ReadAsync(tx => tx.GetReplicasAsync(service, cancellationToken), cancellationToken);

    /// <summary>
    /// A service with its replicas, newest rollout and releases, as one consistent read; served from memory while no
    /// write has touched the service since it was last read (see <see cref="ServiceSnapshotCache"/>).
    /// </summary>
    public async Task<ServiceSnapshot?> GetServiceSnapshotAsync(string name, CancellationToken cancellationToken)
    {
        if (_snapshots.TryGet(name, out var cached))
        {
            return cached;
        }

        var version = _snapshots.VersionOf(name);
        var snapshot = await ReadAsync(tx => tx.GetServiceSnapshotAsync(name, cancellationToken), cancellationToken);
        if (snapshot is not null)
        {
            _snapshots.Put(name, version, snapshot);
        }

        return snapshot;
    }

    internal static string Serialize<T>(T value) => JsonSerializer.Serialize(value, StoreJson.Options);

    internal static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, StoreJson.Options) ?? throw new InvalidDataException("null JSON in store");

    internal static ServiceSpec DeserializeSpec(string json) => Deserialize<ServiceSpec>(json);
}
