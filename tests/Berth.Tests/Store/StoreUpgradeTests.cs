using System.Globalization;
using Berth.Releases;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Store;

/// <summary>A store written at schema 4 with v1 fingerprints (Fixtures/store-v4.db), opened by today's Berth.</summary>
public sealed class StoreUpgradeTests
{
    private static readonly DateTimeOffset AfterUpgrade = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static BerthStore Open(TempDirectory dir) => new(Options.Create(new StoreOptions { DataDirectory = dir.Path }));

    private static string DatabaseOf(TempDirectory dir) => Path.Combine(dir.Path, "berth.db");

    [Fact]
    public void Open_StoreV4_MigratedToCurrentSchema()
    {
        using var dir = new TempDirectory();
        StoreV4Fixture.CopyTo(dir.Path);
        Assert.Equal(4, Raw.UserVersion(DatabaseOf(dir)));

        Open(dir);

        Assert.Equal(8, Raw.UserVersion(DatabaseOf(dir)));
        Assert.Equal(1L, Raw.Scalar(DatabaseOf(dir), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'environment_deployments'"));
        Assert.Equal(1L, Raw.Scalar(DatabaseOf(dir), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'targets'"));
    }

    [Fact]
    public async Task Open_StoreV4_EveryReleaseRefingerprintedFromItsStoredSpec()
    {
        using var dir = new TempDirectory();
        StoreV4Fixture.CopyTo(dir.Path);
        var before = Raw.Releases(DatabaseOf(dir));
        Assert.Equal(3, before.Count);
        Assert.All(before, r => Assert.Matches("^[0-9a-f]{64}$", r.Hash));

        var store = Open(dir);

        var after = Raw.Releases(DatabaseOf(dir));
        Assert.Equal(before.Select(r => (r.Service, r.Number, r.SpecJson, r.SecretsJson)), after.Select(r => (r.Service, r.Number, r.SpecJson, r.SecretsJson)));
        Assert.All(after, r => Assert.Matches("^v2:[0-9a-f]{64}$", r.Hash));
        foreach (var row in after)
        {
            var release = (await store.GetReleaseAsync(row.Service, row.Number, CancellationToken.None))!;
            Assert.Equal(ReleaseFingerprint.Of(release.Spec, release.Secrets), release.SpecHash);
        }

        Assert.Equal(2, Assert.Single(after, r => r is { Service: "fixture_web", Number: 2 }).SecretsJson.Split("contentHash").Length - 1);
    }

    [Fact]
    public async Task Open_StoreV4_OldSpecsReadBackAsWritten()
    {
        using var dir = new TempDirectory();
        StoreV4Fixture.CopyTo(dir.Path);

        var web = (await Open(dir).GetReleaseAsync("fixture_web", 2, CancellationToken.None))!;

        Assert.Equal("fixture/web:2", web.Spec.Image);
        Assert.Equal("it's <a & b> 8080->80/tcp", web.Spec.Environment["MARKUP"]);
        Assert.Null(web.Spec.Environment["DECLARED_ONLY"]);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), web.Spec.Healthcheck!.Interval);
        Assert.Equal(0.75, web.Spec.Extensions["x-notes"].GetProperty("ratio").GetDouble());
        Assert.Equal(["api_key", "tls_key"], web.Secrets.Select(s => s.Source));
    }

    [Fact]
    public async Task Deploy_SameFileAfterUpgrade_NoNewRelease()
    {
        using var dir = new TempDirectory();
        StoreV4Fixture.CopyTo(dir.Path);
        var store = Open(dir);

        var deploy = await StoreV4Fixture.DeployAsync(store, StoreV4Fixture.LastDeployEnvironment, AfterUpgrade);

        Assert.All(deploy.Services, s => Assert.False(s.Changed, $"{s.Service}: a new release {s.Release} after the upgrade ({s.Summary})"));
        Assert.Equal(["fixture_web 2", "fixture_worker 1"], deploy.Services.Select(s => $"{s.Service} {s.Release}"));
        Assert.Equal(3, Raw.Releases(DatabaseOf(dir)).Count);
    }

    [Fact]
    public async Task Deploy_ChangedFileAfterUpgrade_NewReleaseOfThatServiceOnly()
    {
        using var dir = new TempDirectory();
        StoreV4Fixture.CopyTo(dir.Path);
        var store = Open(dir);
        // The rolling update to release 2 is over, as the engine (not running here) would have made it by now.
        Raw.Execute(DatabaseOf(dir), "UPDATE rollouts SET state = 'completed';");
        var changed = new Dictionary<string, string>(StoreV4Fixture.LastDeployEnvironment) { ["FIXTURE_VERSION"] = "3" };

        var deploy = await StoreV4Fixture.DeployAsync(store, changed, AfterUpgrade);

        Assert.Equal(["fixture_web 3 True", "fixture_worker 1 False"], deploy.Services.Select(s => $"{s.Service} {s.Release} {s.Changed}"));
        Assert.Equal("image: fixture/web:2 → fixture/web:3", deploy.Services[0].Summary);
    }

    [Fact]
    public void Open_MigratedStoreMigratedAgain_SameFingerprints()
    {
        using var dir = new TempDirectory();
        StoreV4Fixture.CopyTo(dir.Path);
        Open(dir);
        var first = Raw.Releases(DatabaseOf(dir));
        Raw.Execute(DatabaseOf(dir), "PRAGMA user_version = 4;");

        Open(dir);

        Assert.Equal(8, Raw.UserVersion(DatabaseOf(dir)));
        Assert.Equal(first, Raw.Releases(DatabaseOf(dir)));
    }

    [Fact]
    public void Open_StoreV4WithUnreadableSpec_RefusedAndNothingChanged()
    {
        using var dir = new TempDirectory();
        StoreV4Fixture.CopyTo(dir.Path);
        Raw.Execute(DatabaseOf(dir), "UPDATE releases SET spec_json = '{\"name\": [' WHERE service = 'fixture_worker';");
        var before = Raw.Releases(DatabaseOf(dir));

        var error = Assert.Throws<InvalidDataException>(() => Open(dir));

        Assert.Contains("release 1 of fixture_worker", error.Message);
        Assert.Equal(4, Raw.UserVersion(DatabaseOf(dir)));
        Assert.Equal(before, Raw.Releases(DatabaseOf(dir)));
    }

    /// <summary>Reads and writes the database file with plain SQL, past the store (no migration runs).</summary>
    private static class Raw
    {
        public sealed record Release(string Service, int Number, string SpecJson, string Hash, string SecretsJson);

        public static int UserVersion(string path)
        {
            using var connection = Connect(path);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version;";
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        public static object? Scalar(string path, string sql)
        {
            using var connection = Connect(path);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }

        public static List<Release> Releases(string path)
        {
            using var connection = Connect(path);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT service, number, spec_json, spec_hash, secrets_json FROM releases ORDER BY service, number";
            using var reader = command.ExecuteReader();
            var rows = new List<Release>();
            while (reader.Read())
            {
                rows.Add(new Release(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            }

            return rows;
        }

        public static void Execute(string path, string sql)
        {
            using var connection = Connect(path);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        private static SqliteConnection Connect(string path)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            return connection;
        }
    }
}
