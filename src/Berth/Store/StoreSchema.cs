using Microsoft.Data.Sqlite;

namespace Berth.Store;

/// <summary>Creates and migrates the store's tables (PRAGMA user_version holds the schema version).</summary>
internal static class StoreSchema
{
    private const int CurrentVersion = 8;

    private const string Version1 = """
        CREATE TABLE IF NOT EXISTS stacks (
            name TEXT PRIMARY KEY,
            source_files TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS services (
            name TEXT PRIMARY KEY,
            stack TEXT NOT NULL REFERENCES stacks(name),
            mode TEXT NOT NULL,
            desired_replicas INTEGER NOT NULL,
            release INTEGER NOT NULL,
            removing INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            status_reason TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS releases (
            service TEXT NOT NULL,
            number INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            spec_json TEXT NOT NULL,
            spec_hash TEXT NOT NULL,
            summary TEXT NOT NULL,
            PRIMARY KEY (service, number));
        CREATE TABLE IF NOT EXISTS replicas (
            id TEXT PRIMARY KEY,
            service TEXT NOT NULL,
            slot INTEGER NOT NULL,
            release INTEGER NOT NULL,
            desired_state TEXT NOT NULL,
            state TEXT NOT NULL,
            health TEXT NOT NULL,
            endpoint TEXT,
            port INTEGER,
            pid INTEGER,
            start_ticks INTEGER,
            log_path TEXT,
            created_at TEXT NOT NULL,
            exited_at TEXT,
            exit_code INTEGER,
            message TEXT);
        CREATE INDEX IF NOT EXISTS replicas_by_service ON replicas(service, slot);
        CREATE TABLE IF NOT EXISTS restarts (
            service TEXT NOT NULL,
            slot INTEGER NOT NULL,
            at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS restarts_by_slot ON restarts(service, slot);
        CREATE TABLE IF NOT EXISTS rollouts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            service TEXT NOT NULL,
            kind TEXT NOT NULL,
            from_release INTEGER,
            to_release INTEGER NOT NULL,
            state TEXT NOT NULL,
            reason TEXT,
            config_json TEXT NOT NULL,
            failed_json TEXT NOT NULL,
            last_batch_done_at TEXT,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS rollouts_by_service ON rollouts(service, id);
        CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            kind TEXT NOT NULL,
            stack TEXT,
            service TEXT,
            replica TEXT,
            message TEXT NOT NULL);
        """;

    /// <summary>Blue/green and canary: the strategy and progress of a rollout, its timeline and its KPI samples.</summary>
    private const string Version2 = """
        ALTER TABLE rollouts ADD COLUMN strategy TEXT NOT NULL DEFAULT 'rolling';
        ALTER TABLE rollouts ADD COLUMN progress_json TEXT;
        CREATE TABLE IF NOT EXISTS rollout_decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rollout_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            step INTEGER,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            data_json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS rollout_decisions_by_rollout ON rollout_decisions(rollout_id, id);
        CREATE TABLE IF NOT EXISTS rollout_samples (
            rollout_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            release INTEGER NOT NULL,
            role TEXT NOT NULL,
            weight INTEGER NOT NULL,
            window_seconds REAL NOT NULL,
            requests INTEGER NOT NULL,
            error_rate REAL NOT NULL,
            p50_ms REAL NOT NULL,
            p95_ms REAL NOT NULL,
            p99_ms REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS rollout_samples_by_rollout ON rollout_samples(rollout_id, at);
        """;

    /// <summary>
    /// Secrets carried by releases: each release lists the secrets it grants (name and content hash, or external name);
    /// contents are kept once per stack, name and hash, for as long as a release of the stack uses them.
    /// </summary>
    private const string Version3 = """
        ALTER TABLE releases ADD COLUMN secrets_json TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE IF NOT EXISTS secrets (
            stack TEXT NOT NULL,
            name TEXT NOT NULL,
            hash TEXT NOT NULL,
            content BLOB NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (stack, name, hash));
        """;

    /// <summary>
    /// Access control: API tokens (only a hash of each secret; at most one active token per name) and the audit log,
    /// which has its own time-based retention apart from the event log's.
    /// </summary>
    private const string Version4 = """
        CREATE TABLE IF NOT EXISTS tokens (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            secret_hash BLOB NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT,
            expires_at TEXT,
            revoked_at TEXT,
            last_used_at TEXT);
        CREATE UNIQUE INDEX IF NOT EXISTS tokens_active_by_name ON tokens(name) WHERE revoked_at IS NULL;
        CREATE TABLE IF NOT EXISTS audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            role TEXT,
            action TEXT NOT NULL,
            target TEXT,
            result TEXT NOT NULL,
            status INTEGER NOT NULL,
            source TEXT,
            detail TEXT);
        CREATE INDEX IF NOT EXISTS audit_by_time ON audit(at);
        """;

    /// <summary>Release fingerprints v2 (canonical form of their own): no table changes, a code step (below).</summary>
    private const string Version5 = "";

    /// <summary>
    /// Environments: immutable stack releases (the document holds each environment's spec), each release's passage
    /// through each environment, which is both the pipeline's state and <c>berth history</c>, and the webhook outbox.
    /// </summary>
    private const string Version6 = """
        CREATE TABLE IF NOT EXISTS stack_releases (
            stack TEXT NOT NULL,
            number INTEGER NOT NULL,
            version TEXT,
            message TEXT,
            created_by TEXT,
            created_at TEXT NOT NULL,
            document_json TEXT NOT NULL,
            PRIMARY KEY (stack, number));
        CREATE TABLE IF NOT EXISTS environment_deployments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            stack TEXT NOT NULL,
            environment TEXT NOT NULL,
            release INTEGER NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            reason TEXT,
            actor TEXT,
            comment TEXT,
            created_at TEXT NOT NULL,
            state_since TEXT NOT NULL,
            services_json TEXT NOT NULL,
            gates_json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS environment_deployments_by_stack ON environment_deployments(stack, environment, id);
        CREATE TABLE IF NOT EXISTS webhook_deliveries (
            id TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            event TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at TEXT NOT NULL,
            delivered_at TEXT,
            last_error TEXT);
        CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries(delivered_at, next_attempt_at);
        """;

    /// <summary>Version 7: secrets kept by the server for a stack (`berth secret set`), what its external secrets resolve to.</summary>
    private const string Version7 = """
        CREATE TABLE IF NOT EXISTS stack_secrets (
            stack TEXT NOT NULL,
            name TEXT NOT NULL,
            content BLOB NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT,
            PRIMARY KEY (stack, name));
        """;

    /// <summary>
    /// Version 8: the deploy targets an admin adds (`berth target add NAME --docker-host URL | --process`): their kind,
    /// a Docker target's engine address and, for mutual TLS, the CA, client certificate and key in PEM form.
    /// </summary>
    private const string Version8 = """
        CREATE TABLE IF NOT EXISTS targets (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            endpoint TEXT,
            tls_ca TEXT,
            tls_cert TEXT,
            tls_key TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT);
        """;

    /// <summary>Each version's script, in order; a store at version N runs the scripts after the N-th.</summary>
    private static readonly string[] Migrations = [Version1, Version2, Version3, Version4, Version5, Version6, Version7, Version8];

    /// <summary>
    /// What SQL cannot do (computing hashes), by the version that brings it: run after all the scripts, in their
    /// transaction, for a store older than that version. A step computes with today's code (a later fingerprint version
    /// adds its own step, which then finds the work done), so every step must be idempotent.
    /// </summary>
    private static readonly (int Version, Action<SqliteConnection, SqliteTransaction> Run)[] CodeSteps =
    [
        (5, ReleaseRefingerprinting.Apply),
    ];

    public static void Apply(SqliteConnection connection)
    {
        using (connection)
        {
            if (ReadVersion(connection, transaction: null) == CurrentVersion)
            {
                return;
            }

            // Read again inside the write transaction: another process may have migrated the store meanwhile.
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = ReadVersion(connection, transaction);
            if (version == CurrentVersion)
            {
                return;
            }

            using var create = connection.CreateCommand();
            create.Transaction = transaction;
            create.CommandText = string.Concat(Migrations.Skip(version));
            if (create.CommandText.Length > 0)
            {
                create.ExecuteNonQuery();
            }

            foreach (var step in CodeSteps.Where(s => s.Version > version))
            {
                step.Run(connection, transaction);
            }

            create.CommandText = $"PRAGMA user_version = {CurrentVersion};";
            create.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>The store's schema version (0 for a new file); refuses a store written by a newer Berth.</summary>
    private static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        return version <= CurrentVersion
            ? version
            : throw new InvalidOperationException($"The store was written by a newer Berth (schema {version}, this one knows {CurrentVersion}).");
    }
}
