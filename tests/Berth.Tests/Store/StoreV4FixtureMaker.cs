using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Store;

/// <summary>Run once, at the last commit with schema 4, to write Fixtures/store-v4.db (see Fixtures/README.md).</summary>
public sealed class StoreV4FixtureMaker
{
    [Fact]
    public async Task Make_WithTodaysCode_WritesTheFixture()
    {
        var target = Environment.GetEnvironmentVariable("BERTH_MAKE_STORE_FIXTURE");
        if (string.IsNullOrEmpty(target))
        {
            return;
        }

        using var dir = new TempDirectory();
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        var first = new Dictionary<string, string>(StoreV4Fixture.LastDeployEnvironment) { ["FIXTURE_VERSION"] = "1" };
        await StoreV4Fixture.DeployAsync(store, first, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var second = await StoreV4Fixture.DeployAsync(store, StoreV4Fixture.LastDeployEnvironment, new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero));
        Assert.Equal(["fixture_web 2 True", "fixture_worker 1 False"], second.Services.Select(s => $"{s.Service} {s.Release} {s.Changed}"));

        // Everything into the main file: one self-contained database, no -wal beside it.
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "berth.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; VACUUM;";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        File.Copy(Path.Combine(dir.Path, "berth.db"), target, overwrite: true);
    }
}
