using Berth.Runtimes.Process;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Runtimes.Process;

/// <summary>
/// The replica log folder keeps the logs of the replicas the store knows (live ones and the exited ones kept as
/// history); the log of a replica the store forgot goes once it has been quiet for the grace, with its rotated file.
/// </summary>
public sealed class ReplicaLogRetentionTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sweep_KeepsLogsOfKnownReplicas_RemovesQuietLogsOfForgottenOnes()
    {
        using var dir = new TempDirectory();
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        var runtime = new ProcessRuntimeOptions { RuntimeDirectory = dir.Path };
        await using var driver = new ProcessRuntimeDriver(Options.Create(runtime), TimeProvider.System, NullLogger<ProcessRuntimeDriver>.Instance);
        await store.WriteAsync(
            async tx =>
            {
                await tx.UpsertStackAsync(new StackRecord("shop", [], Now, Now), None);
                await tx.UpsertServiceAsync(new ServiceRecord { Name = "shop_web", Stack = "shop", Mode = "replicated", DesiredReplicas = 1, Release = 2, CreatedAt = Now, UpdatedAt = Now }, None);
                await tx.SaveReplicaAsync(Replica("shop_web.1.live", "running"), None);
                await tx.SaveReplicaAsync(Replica("shop_web.1.history", "exited"), None);
            },
            None);
        var old = (Now - TimeSpan.FromHours(2)).UtcDateTime;
        var live = Log(driver, "shop_web.1.live", old);
        var history = Log(driver, "shop_web.1.history", old);
        var forgotten = Log(driver, "shop_web.1.forgotten", old);
        var forgottenRotated = Log(driver, "shop_web.1.forgotten", old, ".1");
        var justWritten = Log(driver, "shop_web.1.starting", (Now - TimeSpan.FromMinutes(1)).UtcDateTime);
        var other = Path.Combine(Path.GetDirectoryName(live)!, "notes.txt");
        await File.WriteAllTextAsync(other, "not a replica log");
        File.SetLastWriteTimeUtc(other, old);
        var retention = new ReplicaLogRetention(
            store,
            driver,
            new FakeTimeProvider(Now),
            Options.Create(new ReplicaLogRetentionOptions { Grace = TimeSpan.FromMinutes(10) }),
            Options.Create(runtime),
            NullLogger<ReplicaLogRetention>.Instance);

        var removed = await retention.SweepAsync(None);

        Assert.Equal(["shop_web.1.forgotten"], removed);
        Assert.False(File.Exists(forgotten));
        Assert.False(File.Exists(forgottenRotated));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(history), "the log of an exited replica kept as history (ps -a, logs) was removed");
        Assert.True(File.Exists(justWritten), "a log written within the grace was removed");
        Assert.True(File.Exists(other));
    }

    [Fact]
    public async Task Sweep_NoLogFolderYet_RemovesNothing()
    {
        using var dir = new TempDirectory();
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        var runtime = new ProcessRuntimeOptions { RuntimeDirectory = Path.Combine(dir.Path, "runtime") };
        await using var driver = new ProcessRuntimeDriver(Options.Create(runtime), TimeProvider.System, NullLogger<ProcessRuntimeDriver>.Instance);
        var retention = new ReplicaLogRetention(store, driver, new FakeTimeProvider(Now), Options.Create(new ReplicaLogRetentionOptions()), Options.Create(runtime), NullLogger<ReplicaLogRetention>.Instance);

        Assert.Empty(await retention.SweepAsync(None));
    }

    private static ReplicaRecord Replica(string id, string state) => new()
    {
        Id = id, Service = "shop_web", Slot = 1, Release = 2, DesiredState = state == "running" ? "running" : "shutdown", State = state, CreatedAt = Now,
    };

    private static string Log(ProcessRuntimeDriver driver, string replica, DateTime writtenAt, string suffix = "")
    {
        var path = driver.LogPathOf(replica) + suffix;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "a line\n");
        File.SetLastWriteTimeUtc(path, writtenAt);
        return path;
    }
}
