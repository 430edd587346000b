using System.Diagnostics;
using System.Security.Cryptography;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Store;

/// <summary>A damaged store is found before the server uses it: a clear message with what to do, exit 1, the file untouched.</summary>
public sealed class DamagedStoreTests
{
    [Fact]
    public async Task ServerStart_StoreIsNotADatabase_ExitsOneSayingWhatToDoAndLeavesItAlone()
    {
        using var dir = new TempDirectory();
        var data = Directory.CreateDirectory(Path.Combine(dir.Path, "data")).FullName;
        var database = Path.Combine(data, "berth.db");
        await File.WriteAllBytesAsync(database, RandomNumberGenerator.GetBytes(64 * 1024));
        var before = await File.ReadAllBytesAsync(database);

        var (exitCode, stderr) = await RunServerAsync(data);

        Assert.True(exitCode == 1, $"exit {exitCode}: {stderr}");
        Assert.Contains($"error: the store {database} is damaged (", stderr);
        Assert.Contains("Nothing was changed", stderr);
        Assert.Contains($"mv {database} {database}.damaged", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal(before, await File.ReadAllBytesAsync(database));
    }

    [Fact]
    public void Problem_ADatabaseWithADamagedPage_Named()
    {
        using var dir = new TempDirectory();
        var database = Path.Combine(dir.Path, "berth.db");
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var fill = connection.CreateCommand();
            fill.CommandText = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2000) INSERT INTO t SELECT i, hex(randomblob(100)) FROM n; CREATE INDEX t_v ON t(v);";
            fill.ExecuteNonQuery();
        }

        // Scribble over a page in the middle of the file (not the header): SQLite opens it, quick_check finds the damage.
        var bytes = File.ReadAllBytes(database);
        Array.Fill(bytes, (byte)0xA5, bytes.Length / 2, 4096);
        File.WriteAllBytes(database, bytes);

        var problem = StoreHealth.Problem(database);

        Assert.NotNull(problem);
        Assert.Contains("is damaged", problem);
    }

    [Fact]
    public void Problem_SoundOrMissingStore_None()
    {
        using var dir = new TempDirectory();
        var database = Path.Combine(dir.Path, "berth.db");
        Assert.Null(StoreHealth.Problem(database));
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE t(id INTEGER PRIMARY KEY);";
            create.ExecuteNonQuery();
        }

        Assert.Null(StoreHealth.Problem(database));
    }

    private static async Task<(int ExitCode, string Stderr)> RunServerAsync(string data)
    {
        var start = new ProcessStartInfo(RepoPaths.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[RepoPaths.CliDll, "server", "--data", data, "--listen", "127.0.0.1:0"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stderr);
    }
}
