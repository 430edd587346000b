using Berth.Api;
using Berth.Engine;
using Berth.Engine.Replicas;
using Berth.Spec;
using Berth.Store;

namespace Berth.Queries;

/// <summary>Read models for `service ls`, `service inspect`, `ps` and `stack ls`, built from the store.</summary>
public sealed class ServiceQueries
{
    private readonly BerthStore _store;

    public ServiceQueries(BerthStore store) => _store = store;

    public Task<IReadOnlyList<StackInfo>> GetStacksAsync(CancellationToken cancellationToken) =>
        _store.ReadAsync<IReadOnlyList<StackInfo>>(
            async tx =>
            {
                var services = await tx.GetServicesAsync(null, cancellationToken);
                return (await tx.GetStacksAsync(cancellationToken))
                    .Select(s => new StackInfo(s.Name, services.Count(x => x.Stack == s.Name), s.CreatedAt, s.UpdatedAt))
                    .ToList();
            },
            cancellationToken);

    /// <summary>
    /// `service ls`: every service (of a stack), each described from its snapshot — the one the engine keeps, so a
    /// listing of a settled fleet reads one table, not one row set per service.
    /// </summary>
    public async Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(string? stack, CancellationToken cancellationToken)
    {
        var services = await _store.ReadAsync(
            async tx =>
            {
                if (stack is not null && await tx.GetStackAsync(stack, cancellationToken) is null)
                {
                    throw ProblemException.NotFound($"no stack named {stack}");
                }

                return await tx.GetServicesAsync(stack, cancellationToken);
            },
            cancellationToken);
        var result = new List<ServiceInfo>(services.Count);
        foreach (var service in services)
        {
            // A service removed since the list was read is left out.
            if (await _store.GetServiceSnapshotAsync(service.Name, cancellationToken) is { } snapshot)
            {
                result.Add(Describe(snapshot));
            }
        }

        return result;
    }

    public async Task<ServiceInfo> GetServiceAsync(string name, CancellationToken cancellationToken) =>
        await _store.GetServiceSnapshotAsync(name, cancellationToken) is { } snapshot
            ? Describe(snapshot)
            : throw ProblemException.NotFound($"no service named {name}");

    /// <summary>Replicas of a stack (or of one service), live ones first; history only when <paramref name="all"/>.</summary>
    public async Task<IReadOnlyList<ReplicaInfo>> GetReplicasAsync(string? stack, string? service, bool all, CancellationToken cancellationToken)
    {
        var (services, restarts) = await _store.ReadAsync(
            async tx =>
            {
                if (stack is not null && await tx.GetStackAsync(stack, cancellationToken) is null)
                {
                    throw ProblemException.NotFound($"no stack named {stack}");
                }

                if (service is not null && await tx.GetServiceAsync(service, cancellationToken) is null)
                {
                    throw ProblemException.NotFound($"no service named {service}");
                }

                var services = (await tx.GetServicesAsync(stack, cancellationToken))
                    .Where(s => service is null || s.Name == service)
                    .ToList();
                return (services, await tx.CountRestartsAsync(service, cancellationToken));
            },
            cancellationToken);
        var result = new List<ReplicaInfo>();
        foreach (var listed in services)
        {
            if (await _store.GetServiceSnapshotAsync(listed.Name, cancellationToken) is not { } snapshot)
            {
                continue;
            }

            var (record, replicas) = (snapshot.Service, snapshot.Replicas);
            result.AddRange(replicas
                .Where(r => all || r.IsLive || IsLatestOfEmptySlot(r, replicas, record))
                .OrderBy(r => r.Slot).ThenByDescending(r => r.IsLive).ThenByDescending(r => r.CreatedAt)
                .Select(r => ToInfo(r, record.Stack, restarts.GetValueOrDefault((record.Name, r.Slot)))));
        }

        return result;
    }

    /// <summary>An exited replica whose slot has no live one is still worth showing: it says why the slot is empty.</summary>
    private static bool IsLatestOfEmptySlot(ReplicaRecord replica, IReadOnlyList<ReplicaRecord> all, ServiceRecord service) =>
        replica.State == ReplicaStates.Exited
        && replica.Slot <= service.DesiredReplicas
        && !all.Any(r => r.Slot == replica.Slot && r.IsLive)
        && all.Where(r => r.Slot == replica.Slot).MaxBy(r => r.CreatedAt) == replica;

    private static ReplicaInfo ToInfo(ReplicaRecord replica, string stack, int restarts) => new()
    {
        Id = replica.Id,
        Service = replica.Service,
        Stack = stack,
        Slot = replica.Slot,
        Release = replica.Release,
        DesiredState = replica.DesiredState,
        State = replica.State,
        Health = replica.Health,
        Endpoint = replica.Endpoint,
        Pid = replica.Pid,
        CreatedAt = replica.CreatedAt,
        ExitedAt = replica.ExitedAt,
        ExitCode = replica.ExitCode,
        Restarts = restarts,
        Message = replica.Message,
    };

    private static ServiceInfo Describe(ServiceSnapshot snapshot)
    {
        var (service, release) = (snapshot.Service, snapshot.Release);
        var live = snapshot.Replicas.Where(r => r.IsLive).ToList();
        var spec = release?.Spec;
        return new ServiceInfo
        {
            Name = service.Name,
            Stack = service.Stack,
            Mode = service.Mode,
            DesiredReplicas = service.DesiredReplicas,
            RunningReplicas = live.Count(r => r.State == ReplicaStates.Running),
            HealthyReplicas = live.Count(r => r.Release == service.Release && r.IsReady()),
            Release = service.Release,
            Artifact = spec is null ? "" : ArtifactOf(spec),
            Ports = spec?.Ports.Select(p => p.Published is null ? $"{p.Target}/{p.Protocol}" : $"{p.Published}->{p.Target}/{p.Protocol}").ToList() ?? [],
            Status = service.Status,
            StatusReason = service.StatusReason,
        };
    }

    /// <summary>What a spec runs, as `service ls` and `releases` show it: the process command, else the image.</summary>
    internal static string ArtifactOf(ServiceSpec spec) =>
        spec.Berth.Process is { } process ? string.Join(' ', process.Command) : spec.Image ?? "";
}
