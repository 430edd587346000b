using Berth.Api;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Spec;
using Berth.Store;
using Microsoft.Extensions.Options;

namespace Berth.Deployments;

/// <summary>`scale SERVICE=N ...`: all names checked first, all counts written in one transaction, or nothing.</summary>
public sealed class ServiceScaler
{
    private readonly BerthStore _store;
    private readonly EventLog _events;
    private readonly ReconcileQueue _queue;
    private readonly TimeProvider _time;
    private readonly DeploymentLimitsOptions _limits;

    public ServiceScaler(BerthStore store, EventLog events, ReconcileQueue queue, TimeProvider time, IOptions<DeploymentLimitsOptions> limits)
    {
        _limits = limits.Value;
        _store = store;
        _events = events;
        _queue = queue;
        _time = time;
    }

    public async Task<IReadOnlyList<ServiceRecord>> ScaleAsync(IReadOnlyDictionary<string, int> replicas, CancellationToken cancellationToken)
    {
        if (replicas.Count == 0)
        {
            throw ProblemException.Invalid("nothing to scale: give SERVICE=REPLICAS");
        }

        var invalid = replicas
            .Select(r => r.Value < 0 ? $"{r.Key}: replicas must be >= 0 (got {r.Value})" : _limits.Check("replicas", r.Value) is { } over ? $"{r.Key}: {over}" : null)
            .OfType<string>()
            .ToList();
        if (invalid.Count > 0)
        {
            throw ProblemException.Invalid("invalid replica count", invalid);
        }

        var (scaled, entries) = await _store.WriteAsync(
            async tx =>
            {
                var services = new List<ServiceRecord>();
                var problems = new List<string>();
                foreach (var (name, _) in replicas)
                {
                    var service = await tx.GetServiceAsync(name, cancellationToken);
                    if (service is null || service.Removing)
                    {
                        var known = (await tx.GetServicesAsync(null, cancellationToken)).Select(s => s.Name).ToList();
                        problems.Add($"no service named {name}" + (known.Count > 0 ? $" (services: {string.Join(", ", known)})" : ""));
                    }
                    else if (service.Mode == DeployModes.Global)
                    {
                        problems.Add($"{name}: scale can only be used with replicated mode (it is global)");
                    }
                    else
                    {
                        services.Add(service);
                    }
                }

                if (problems.Count > 0)
                {
                    throw problems.All(p => p.StartsWith("no service", StringComparison.Ordinal))
                        ? new ProblemException(ProblemKind.NotFound, problems[0], problems.Skip(1).ToList())
                        : ProblemException.Invalid("cannot scale", problems);
                }

                var entries = new List<EventRecord>();
                var updated = new List<ServiceRecord>();
                foreach (var service in services)
                {
                    var next = service with { DesiredReplicas = replicas[service.Name], UpdatedAt = _time.GetUtcNow() };
                    await tx.UpsertServiceAsync(next, cancellationToken);
                    updated.Add(next);
                    entries.Add(await _events.AppendAsync(tx, "service.scaled", service.Stack, service.Name, null, $"{service.Name} scaled from {service.DesiredReplicas} to {next.DesiredReplicas}", cancellationToken));
                }

                return (updated, entries);
            },
            cancellationToken);

        _events.Publish(entries);
        foreach (var service in scaled)
        {
            _queue.Enqueue(service.Name);
        }

        return scaled;
    }
}
