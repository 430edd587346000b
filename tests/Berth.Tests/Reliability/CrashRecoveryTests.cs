using System.Globalization;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Reliability;

/// <summary>
/// The server killed with kill -9 at random points of rollouts of every strategy, then restarted on the same data:
/// every rollout ends (completed, rolled back or aborted), one live replica per slot, no orphan process, no event
/// lost, and the store passes PRAGMA integrity_check. Seeded; 5 crash points in the suite, 50 with the full profile.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class CrashRecoveryTests
{
    private const int Replicas = ReliabilityCompose.Replicas;
    private static readonly string[] Strategies = ["rolling", "blue-green", "canary"];

    [Fact]
    public async Task KillNine_AtRandomPointsOfRollouts_EveryRolloutEndsAndNothingIsLostOrDuplicated()
    {
        var random = new Random(ReliabilityProfile.Seed);
        var points = ReliabilityProfile.Full ? 50 : 5;
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", Compose(dir, port, "rolling", 1), "crash")).ExitCode);
        await server.WaitForReplicasAsync("crash", Settled(1), TimeSpan.FromSeconds(60), "release 1 healthy");
        var outcomes = new List<string>();

        for (var point = 0; point < points; point++)
        {
            var strategy = Strategies[point % Strategies.Length];
            var version = point + 2;
            var deploy = await server.CliAsync("deploy", "-d", "-c", Compose(dir, port, strategy, version), "crash");
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            var eventsBefore = await server.EventsAsync();

            // A random moment of the rollout: from at once to the middle of its steps.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 6000)));
            await server.KillHardAsync();
            await server.RestartAsync();

            var rollout = await WaitForEndAsync(server, TimeSpan.FromSeconds(120));
            var release = (await server.ServiceAsync("crash_app")).Release;
            var replicas = await server.WaitForReplicasAsync("crash", Settled(release), TimeSpan.FromSeconds(60), $"release {release} settled after crash point {point}");
            outcomes.Add($"{strategy}:{rollout.State}");

            Assert.True(rollout.State is "completed" or "rolled_back" or "aborted", $"crash point {point} ({strategy}): rollout ended {rollout.State}: {rollout.Reason}");
            AssertOneReplicaPerSlot(replicas, point);
            AssertNoOrphans(replicas, point);
            var eventsAfter = await server.EventsAsync();
            var missing = eventsBefore.Select(e => e.Seq).Except(eventsAfter.Select(e => e.Seq)).ToList();
            Assert.True(missing.Count == 0, $"crash point {point}: events lost: {string.Join(", ", missing)}");
        }

        await server.KillHardAsync();
        AssertIntegrity(server.DataDirectory);
        await server.RestartAsync();
        ReliabilityProfile.Record("crash-recovery", new
        {
            seed = ReliabilityProfile.Seed,
            full = ReliabilityProfile.Full,
            crashPoints = points,
            outcomes = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count()),
        });
    }

    private static async Task<RolloutInfo> WaitForEndAsync(BerthServerProcess server, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RolloutInfo? last = null;
        while (clock.Elapsed < timeout)
        {
            last = await server.Http.GetFromJsonAsync<RolloutInfo>(ApiRoutes.Rollout("crash_app"), ApiJson.Options);
            if (last is { Active: false })
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the rollout did not end in {timeout}: {last?.State} {last?.Reason}\n{server.Output}");
    }

    private static Func<IReadOnlyList<ReplicaInfo>, bool> Settled(int release) =>
        replicas => replicas.Count(r => r.State == "running" && r.Health == "healthy" && r.Release == release) == Replicas
                    && replicas.Count(r => r.DesiredState == "running") == Replicas;

    private static void AssertOneReplicaPerSlot(IReadOnlyList<ReplicaInfo> replicas, int point)
    {
        var doubled = replicas.Where(r => r.DesiredState == "running").GroupBy(r => r.Slot).Where(g => g.Count() > 1).ToList();
        Assert.True(doubled.Count == 0, $"crash point {point}: slots with more than one replica: {string.Join(", ", doubled.Select(g => g.Key))}");
    }

    /// <summary>Every Articles process of this stack (found by its BERTH_REPLICA_ID) is a replica Berth knows as running.</summary>
    private static void AssertNoOrphans(IReadOnlyList<ReplicaInfo> replicas, int point)
    {
        var known = replicas.Where(r => r.DesiredState == "running").Select(r => r.Id).ToHashSet();
        var orphans = new List<string>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            orphans = ReplicaProcesses("crash_app.").Where(p => !known.Contains(p.ReplicaId)).Select(p => $"{p.ReplicaId} (pid {p.Pid})").ToList();
            if (orphans.Count == 0)
            {
                return;
            }

            // A replica being stopped may take its grace period to go.
            Thread.Sleep(200);
        }

        Assert.Fail($"crash point {point}: processes no replica accounts for: {string.Join(", ", orphans)}");
    }

    private static IEnumerable<(int Pid, string ReplicaId)> ReplicaProcesses(string prefix)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string environ;
            try
            {
                environ = File.ReadAllText(Path.Combine(folder, "environ"));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var id = environ.Split('\0').FirstOrDefault(v => v.StartsWith("BERTH_REPLICA_ID=" + prefix, StringComparison.Ordinal));
            if (id is not null && File.ReadAllText(Path.Combine(folder, "cmdline")).Contains("Articles.dll", StringComparison.Ordinal))
            {
                yield return (pid, id["BERTH_REPLICA_ID=".Length..]);
            }
        }
    }

    private static void AssertIntegrity(string dataDirectory)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "berth.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", command.ExecuteScalar() as string);
    }

    private static string Compose(TempDirectory dir, int port, string strategy, int version) =>
        ReliabilityCompose.Write(dir, port, version, strategy switch
        {
            "blue-green" => ReliabilityCompose.BlueGreen,
            "canary" => """
                      strategy: canary
                      canary:
                        steps:
                          - weight: 30
                          - pause: 2s
                          - weight: 60
                          - pause: 2s
                        progress_deadline: 60s
                """,
            _ => "",
        });
}
