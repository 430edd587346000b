using Berth.Releases;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Secrets;

/// <summary>The store's part: schema v3 (migrated from v2), release secret lists, kept contents and their clean-up.</summary>
public sealed class SecretStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private static BerthStore Open(TempDirectory dir) => new(Options.Create(new StoreOptions { DataDirectory = dir.Path }));

    private static ServiceSpec Spec => new() { Name = "s_app", Image = "app:1", Secrets = [new ServiceSecretSpec { Source = "token" }] };

    [Fact]
    public async Task Open_StoreAtVersion2_MigratedToVersion3_OldReleasesHaveNoSecrets()
    {
        using var dir = new TempDirectory();
        await Open(dir).WriteAsync(tx => tx.InsertReleaseAsync(new ReleaseRecord("s_app", 1, Now, Spec, "h1", "first"), None), None);

        // What a v2 store looked like: no secrets_json column, no secrets table.
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "berth.db")};Pooling=False"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = "ALTER TABLE releases DROP COLUMN secrets_json; DROP TABLE secrets; PRAGMA user_version = 2;";
            downgrade.ExecuteNonQuery();
        }

        // As a new server process would: no pooled connection of the old store.
        SqliteConnection.ClearAllPools();

        var store = Open(dir);
        var old = await store.GetReleaseAsync("s_app", 1, None);
        var secret = new ReleaseSecret("token", ReleaseSecret.HashOf("one"u8.ToArray()), null);
        await store.WriteAsync(
            async tx =>
            {
                await tx.InsertReleaseAsync(new ReleaseRecord("s_app", 2, Now, Spec, "h2", "second") { Secrets = [secret] }, None);
                await tx.SaveSecretContentAsync("s", "token", "one"u8.ToArray(), Now, None);
            },
            None);

        Assert.Empty(old!.Secrets);
        Assert.Equal([secret], (await store.GetReleaseAsync("s_app", 2, None))!.Secrets);
        var contents = await store.ReadAsync(tx => tx.GetSecretContentsAsync("s", [secret], None), None);
        Assert.Equal("one"u8.ToArray(), contents["token"]);
    }

    [Fact]
    public async Task Open_DatabaseHoldsSecrets_OwnerOnlyFiles()
    {
        using var dir = new TempDirectory();
        var store = Open(dir);
        await store.WriteAsync(tx => tx.SaveSecretContentAsync("s", "token", "one"u8.ToArray(), Now, None), None);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var file in Directory.GetFiles(dir.Path, "berth.db*"))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Contains(Path.Combine(dir.Path, "berth.db-wal"), Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task DeleteService_ContentsOnlyItsReleasesUsed_Removed_SharedOnesKept()
    {
        using var dir = new TempDirectory();
        var store = Open(dir);
        var one = new ReleaseSecret("token", ReleaseSecret.HashOf("one"u8.ToArray()), null);
        var two = new ReleaseSecret("token", ReleaseSecret.HashOf("two"u8.ToArray()), null);
        await store.WriteAsync(
            async tx =>
            {
                await tx.UpsertStackAsync(new StackRecord("s", [], Now, Now), None);
                foreach (var name in new[] { "s_app", "s_worker" })
                {
                    await tx.UpsertServiceAsync(new ServiceRecord { Name = name, Stack = "s", Mode = "replicated", DesiredReplicas = 1, Release = 1, Status = "converging", CreatedAt = Now, UpdatedAt = Now }, None);
                }

                await tx.InsertReleaseAsync(new ReleaseRecord("s_app", 1, Now, Spec, "h1", "first") { Secrets = [one] }, None);
                await tx.InsertReleaseAsync(new ReleaseRecord("s_app", 2, Now, Spec, "h2", "second") { Secrets = [two] }, None);
                await tx.InsertReleaseAsync(new ReleaseRecord("s_worker", 1, Now, Spec with { Name = "s_worker" }, "h3", "first") { Secrets = [one] }, None);
                await tx.SaveSecretContentAsync("s", "token", "one"u8.ToArray(), Now, None);
                await tx.SaveSecretContentAsync("s", "token", "two"u8.ToArray(), Now, None);
            },
            None);

        await store.WriteAsync(tx => tx.DeleteServiceAsync("s_app", None), None);

        var kept = await store.ReadAsync(tx => tx.GetSecretContentsAsync("s", [one], None), None);
        var gone = await store.ReadAsync(tx => tx.GetSecretContentsAsync("s", [two], None), None);
        Assert.Equal("one"u8.ToArray(), kept["token"]);
        Assert.Empty(gone);
    }
}
