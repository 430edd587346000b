using Berth.Engine.Events;
using Berth.Runtimes;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Replicas;

/// <summary>At server start, re-attaches to replicas a previous run started (same pid and start time) and marks the others lost.</summary>
public sealed partial class ReplicaAdopter
{
    private readonly BerthStore _store;
    private readonly IRuntimeDriver _driver;
    private readonly EventLog _events;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplicaAdopter> _logger;

    public ReplicaAdopter(BerthStore store, IRuntimeDriver driver, EventLog events, TimeProvider time, ILogger<ReplicaAdopter> logger)
    {
        _store = store;
        _driver = driver;
        _events = events;
        _time = time;
        _logger = logger;
    }

    /// <summary>Returns the number of replicas adopted.</summary>
    public async Task<int> AdoptAllAsync(CancellationToken cancellationToken)
    {
        var adopted = 0;
        var services = (await _store.GetServicesAsync(cancellationToken)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var replica in (await _store.GetReplicasAsync(null, cancellationToken)).Where(r => r.IsLive))
        {
            services.TryGetValue(replica.Service, out var service);
            var release = await _store.GetReleaseAsync(replica.Service, replica.Release, cancellationToken);
            ReplicaObservation? observation = null;
            // The driver judges the handle (the process runtime refuses one without a pid; Swarm finds its service by label).
            if (release is not null && ReplicaLaunchFactory.CannotRun(release.Spec, _driver.RuntimeOf(release.Spec)) is null)
            {
                observation = await _driver.AdoptAsync(
                    new ReplicaHandle(replica.Id, replica.Pid, replica.ProcessStartTicks, replica.Port, replica.LogPath)
                    {
                        LastHealth = replica.Health == "healthy" ? ReplicaHealth.Healthy : null,
                        LastEndpoint = replica.Endpoint,
                    },
                    await ReplicaLaunchFactory.CreateAsync(_store, release, replica.Id, replica.Slot, service?.Stack, cancellationToken),
                    cancellationToken);
            }

            if (observation is not null)
            {
                await _store.WriteAsync(tx => tx.SaveReplicaAsync(replica.WithObservation(observation), cancellationToken), cancellationToken);
                await _events.AppendAsync("replica.adopted", service?.Stack, replica.Service, replica.Id, $"{replica.Id} adopted (pid {replica.Pid})", cancellationToken);
                Log.Adopted(_logger, replica.Service, replica.Id, replica.Pid);
                adopted++;
                continue;
            }

            // A pending row without a pid: the server stopped between writing the row and recording the start (the row
            // exists before the process does). Not its release's failure — nothing of it was seen to fail — so it is
            // recorded as stopped by Berth (a rollout does not count it; its slot is filled again without a restart
            // counted); the runtime stopped whatever it had started of it (AdoptAsync above).
            if (replica.State == ReplicaStates.Pending && replica.Pid is null)
            {
                var abandoned = replica.AsGone(ReplicaStates.Shutdown, _time.GetUtcNow(), "abandoned: the server stopped while starting it; started again");
                await _store.WriteAsync(tx => tx.SaveReplicaAsync(abandoned, cancellationToken), cancellationToken);
                await _events.AppendAsync("replica.exited", service?.Stack, replica.Service, replica.Id, $"{replica.Id} was being started when the server stopped: started again", cancellationToken);
                Log.Abandoned(_logger, replica.Service, replica.Id);
                continue;
            }

            var lost = replica.AsGone(ReplicaStates.Exited, _time.GetUtcNow(), "lost: gone while the server was down");
            await _store.WriteAsync(tx => tx.SaveReplicaAsync(lost, cancellationToken), cancellationToken);
            await _events.AppendAsync("replica.exited", service?.Stack, replica.Service, replica.Id, $"{replica.Id} was lost while the server was down", cancellationToken);
            Log.Lost(_logger, replica.Service, replica.Id, replica.Pid);
        }

        return adopted;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Adopted replica {Replica} of {Service} (pid {Pid})")]
        public static partial void Adopted(ILogger logger, string service, string replica, int? pid);

        [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Replica {Replica} of {Service} (pid {Pid}) was lost while the server was down")]
        public static partial void Lost(ILogger logger, string service, string replica, int? pid);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Replica {Replica} of {Service} was being started when the server stopped: it is started again")]
        public static partial void Abandoned(ILogger logger, string service, string replica);
    }
}
