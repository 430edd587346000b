using Berth.Api;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Runtimes;
using Berth.Store;

namespace Berth.Deployments;

/// <summary>`replica kill ID`: SIGKILL, like `docker kill`; the restart policy then decides what replaces it.</summary>
public sealed class ReplicaKiller
{
    private readonly BerthStore _store;
    private readonly IRuntimeDriver _driver;
    private readonly EventLog _events;

    public ReplicaKiller(BerthStore store, IRuntimeDriver driver, EventLog events)
    {
        _store = store;
        _driver = driver;
        _events = events;
    }

    public async Task KillAsync(string replicaId, CancellationToken cancellationToken)
    {
        var replica = await _store.ReadAsync(tx => tx.GetReplicaAsync(replicaId, cancellationToken), cancellationToken)
            ?? throw ProblemException.NotFound($"no replica named {replicaId} (see `berth ps STACK`)");
        if (!replica.IsLive)
        {
            throw ProblemException.Conflict($"replica {replicaId} is not running (state {replica.State})");
        }

        var service = await _store.GetServiceAsync(replica.Service, cancellationToken);
        await _events.AppendAsync("replica.killed", service?.Stack, replica.Service, replica.Id, $"{replica.Id} killed on request", cancellationToken);
        await _driver.KillAsync(replicaId, cancellationToken);
    }
}
