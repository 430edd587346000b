using Berth.Runtimes.Swarm;
using Berth.Store;

namespace Berth.Server;

/// <summary>
/// After `berth server --restore FILE`: what this data folder runs that the restored store does not know — replica
/// processes (process runtime) or Swarm services, then the Swarm networks and secrets of stacks it does not know — is
/// stopped or removed. Returns the events to record once the server runs (kind, stack, replica, message).
/// </summary>
internal static class RestoredStoreOrphans
{
    /// <summary>How long the networks and secrets of removed services may stay in use (their tasks stopping) before they are left.</summary>
    private static readonly TimeSpan StackResourcesWait = TimeSpan.FromSeconds(20);

    public static async Task<IReadOnlyList<(string Kind, string? Stack, string? Replica, string Message)>> RemoveAsync(
        BerthServerOptions options, string dataDirectory, string databasePath, CancellationToken cancellationToken)
    {
        var events = new List<(string, string?, string?, string)>();
        var known = StoreBackup.LiveReplicaIds(databasePath);
        if (options.Runtime == "process")
        {
            var processes = Berth.Runtimes.Process.OrphanReplicas.Find(dataDirectory, id => !known.Contains(id));
            await Berth.Runtimes.Process.OrphanReplicas.StopAsync(processes, TimeSpan.FromSeconds(10), cancellationToken);
            events.AddRange(processes.Select(o => ("replica.orphan_stopped", (string?)null, (string?)o.ReplicaId, $"replica {o.ReplicaId} (pid {o.Pid}) is not in the restored store: stopped")));
            return events;
        }

        var swarm = new SwarmRuntimeOptions { Endpoint = options.DockerEndpoint };
        var owner = DataFolderId.Ensure(dataDirectory);
        var services = await SwarmOrphans.RemoveAsync(swarm, owner, known, cancellationToken);
        events.AddRange(services.Select(o => ("replica.orphan_stopped", (string?)null, (string?)o.ReplicaId, $"replica {o.ReplicaId} (Swarm service {o.ServiceName}) is not in the restored store: removed")));
        var leftovers = await SwarmOrphans.RemoveStackResourcesAsync(swarm, owner, StoreBackup.StackNames(databasePath), StackResourcesWait, cancellationToken);
        events.AddRange(leftovers.Removed.Select(r => ("stack.orphan_removed", (string?)r.Stack, (string?)null, $"stack {r.Stack} is not in the restored store: its Swarm {r.Kind} {r.Name} removed")));
        events.AddRange(leftovers.StillInUse.Select(r => ("stack.orphan_removed", (string?)r.Stack, (string?)null, $"stack {r.Stack} is not in the restored store: its Swarm {r.Kind} {r.Name} is still in use, left (docker {r.Kind} rm {r.Name})")));
        return events;
    }
}
