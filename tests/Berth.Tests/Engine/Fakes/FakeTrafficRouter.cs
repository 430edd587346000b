using System.Collections.Concurrent;
using Berth.Engine.Progressive;
using Berth.Routing;

namespace Berth.Tests.Engine.Fakes;

/// <summary>
/// A router with no sockets: remembers the route each service serves and every route it was given. A test can make
/// the next applies throw (a router that cannot be reached) or refuse (a port taken).
/// </summary>
internal sealed class FakeTrafficRouter : ITrafficRouter
{
    private readonly ConcurrentDictionary<string, ServiceRoute> _current = new(StringComparer.Ordinal);

    /// <summary>Every route applied, in order (refused and thrown ones are not).</summary>
    public List<ServiceRoute> Applied { get; } = [];

    /// <summary>Applies that throw from now on (0: none).</summary>
    public int ThrowNext { get; set; }

    /// <summary>When set, applies are refused with this error (the previous route keeps serving).</summary>
    public string? RefuseWith { get; set; }

    private TaskCompletionSource? _hold;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _holdEveryChange;

    /// <summary>
    /// From now on an apply that changes the candidate's weight does not return until <see cref="Acknowledge"/>: a
    /// router (of several) that has not acknowledged the new version yet.
    /// </summary>
    public void WithholdAcks() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// As <see cref="WithholdAcks"/>, for any apply that changes the service's route (a new service's first, empty
    /// route too): routers slow to acknowledge anything.
    /// </summary>
    public void WithholdEveryAck()
    {
        WithholdAcks();
        _holdEveryChange = true;
    }

    /// <summary>Completes once an apply is being withheld.</summary>
    public Task Withheld => _held.Task;

    /// <summary>The withheld apply returns (applied), and later ones return at once.</summary>
    public void Acknowledge()
    {
        var hold = _hold;
        _hold = null;
        _holdEveryChange = false;
        hold?.TrySetResult();
    }

    public async Task<RouteApplyResult> ApplyAsync(ServiceRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var changes = _holdEveryChange
            ? Current(route.Service) is not { } current || !current.SameAs(route)
            : route.CandidateWeight != (Current(route.Service)?.CandidateWeight ?? 0);
        if (_hold is { } hold && changes)
        {
            _held.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken);
        }

        return Apply(route);
    }

    private RouteApplyResult Apply(ServiceRoute route)
    {
        if (ThrowNext > 0)
        {
            ThrowNext--;
            throw new HttpRequestException("the router is unreachable");
        }

        if (RefuseWith is { } error)
        {
            return RouteApplyResult.Failed(error);
        }

        _current[route.Service] = route;
        lock (Applied)
        {
            Applied.Add(route);
        }

        return RouteApplyResult.Ok;
    }

    public Task DrainAsync(string service, string replicaId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAsync(string service, CancellationToken cancellationToken)
    {
        _current.TryRemove(service, out _);
        return Task.CompletedTask;
    }

    public ServiceRoute? Current(string service) => _current.GetValueOrDefault(service);

    /// <summary>The split the router serves for a service now.</summary>
    public RouteSplit? SplitOf(string service) => Current(service) is { } route ? RouteSplit.Of(route) : null;

    /// <summary>The weights the service's candidate pool was given, each change once, in order.</summary>
    public IReadOnlyList<int> WeightsOf(string service)
    {
        lock (Applied)
        {
            var weights = new List<int>();
            foreach (var route in Applied.Where(r => r.Service == service && r.Candidate is not null))
            {
                if (weights.Count == 0 || weights[^1] != route.CandidateWeight)
                {
                    weights.Add(route.CandidateWeight);
                }
            }

            return weights;
        }
    }
}
