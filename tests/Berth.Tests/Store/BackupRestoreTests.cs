using System.Net.Http.Json;
using Berth.Api;
using Berth.Store;
using Berth.Tests.Engine;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Store;

/// <summary>
/// `berth backup FILE` while the server runs, then `berth server --restore FILE`: the store is the backup's, the
/// replaced one kept aside, replicas the backup knows adopted, replicas it does not know stopped with an event.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task BackupThenRestore_BackTheBackupsStacks_UnknownReplicaStoppedKnownOneAdopted()
    {
        using var dir = new TempDirectory();
        var backup = Path.Combine(dir.Path, "backup.db");
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Shell(dir, "sleep 600", 1, "condition: any"), "kept")).ExitCode);
        var kept = (await server.ReplicasAsync("kept")).Single();

        var made = await server.CliAsync("backup", backup);

        Assert.True(made.ExitCode == 0, made.ToString());
        Assert.Contains($"Store backed up to {backup}", made.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
        Assert.Null(StoreBackup.Problem(backup));

        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Shell(dir, "sleep 600", 1, "condition: any"), "later")).ExitCode);
        var later = (await server.ReplicasAsync("later")).Single();
        await server.KillHardAsync();
        await server.RestartAsync("--restore", backup);

        var stacks = await server.Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options) ?? [];
        Assert.Equal(["kept"], stacks.Select(s => s.Name));
        Assert.Contains("Store restored from", server.Output);
        Assert.Single(Directory.GetFiles(server.DataDirectory, "berth.db.before-restore-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        Assert.False(ProcessLiveness.IsAlive(later.Pid!.Value), "the replica the backup does not know still runs");
        Assert.Contains(await server.EventsAsync(), e => e.Kind == "replica.orphan_stopped" && e.Replica == later.Id);
        await server.WaitForReplicasAsync("kept", r => r.Any(x => x.Id == kept.Id && x.State == "running" && x.Pid == kept.Pid), TimeSpan.FromSeconds(30), "the known replica adopted");
    }

    [Fact]
    public async Task Restore_AFileThatIsNotABerthStore_ExitTwoAndTheStoreUntouched()
    {
        using var dir = new TempDirectory();
        var notAStore = dir.File("notes.db", "just text");
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Shell(dir, "sleep 600", 1, "condition: any"), "kept")).ExitCode);
        await server.KillHardAsync();

        var restore = await CliRun.RunAsync(["server", "--data", server.DataDirectory, "--listen", "127.0.0.1:0", "--restore", notAStore], timeout: TimeSpan.FromSeconds(60));
        await server.RestartAsync();

        Assert.True(restore.ExitCode == 2, restore.ToString());
        Assert.Contains($"--restore {notAStore}: the backup is damaged", restore.Stderr);
        Assert.Contains("the current store was left as it is", restore.Stderr);
        Assert.Empty(Directory.GetFiles(server.DataDirectory, "berth.db.before-restore-*"));
        Assert.Single(await server.ReplicasAsync("kept"));
    }

    [Fact]
    public async Task Restore_WhileAServerUsesTheDataFolder_Refused()
    {
        using var dir = new TempDirectory();
        var backup = Path.Combine(dir.Path, "backup.db");
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("backup", backup)).ExitCode);

        var restore = await CliRun.RunAsync(["server", "--data", server.DataDirectory, "--listen", "127.0.0.1:0", "--restore", backup], timeout: TimeSpan.FromSeconds(60));

        Assert.True(restore.ExitCode == 1, restore.ToString());
        Assert.Contains("another Berth server is already using", restore.Stderr);
        Assert.Empty(Directory.GetFiles(server.DataDirectory, "berth.db.before-restore-*"));
    }
}
