using System.Threading.Channels;
using Berth.Api;
using Microsoft.Extensions.Options;

namespace Berth.Routing.Fleet;

/// <summary>
/// The control plane's side of the data plane: the engine's <see cref="ITrafficRouter"/>, carried out by every router
/// process. A route change becomes a versioned <see cref="RouteUpdate"/> on each router's stream and counts as applied
/// only when every live router has acknowledged it (Argo Rollouts' "verify weight"); a router not heard from for
/// <see cref="FleetOptions.StaleAfter"/> is left out of that count, so a dead router cannot stall a rollout.
/// </summary>
public sealed partial class RouterFleet : ITrafficRouter
{
    private readonly TimeProvider _time;
    private readonly FleetOptions _options;
    private readonly IRouterFleetObserver? _observer;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServiceRoute> _desired = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RouterMember> _members = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private long _version;
    private bool _authoritative;

    public RouterFleet(TimeProvider time, IOptions<FleetOptions> options, IRouterFleetObserver? observer = null)
    {
        _time = time;
        _options = options.Value;
        _observer = observer;

        // Versions grow across control-plane restarts too (a router compares them only with what this one sent).
        _version = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    }

    /// <summary>The newest route version sent.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public async Task<RouteApplyResult> ApplyAsync(ServiceRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        long version;
        lock (_gate)
        {
            _desired[route.Service] = route;
            version = Publish([route], []);
        }

        return await WaitAsync(version, route.Service, _options.AckTimeout + route.Settings.DrainTimeout, cancellationToken);
    }

    public async Task DrainAsync(string service, string replicaId, CancellationToken cancellationToken)
    {
        ServiceRoute drained;
        long version;
        lock (_gate)
        {
            if (!_desired.TryGetValue(service, out var route))
            {
                return;
            }

            drained = route with
            {
                Stable = route.Stable with { Destinations = route.Stable.Destinations.Where(d => d.ReplicaId != replicaId).ToList() },
                Candidate = route.Candidate is null ? null : route.Candidate with { Destinations = route.Candidate.Destinations.Where(d => d.ReplicaId != replicaId).ToList() },
            };
            if (drained.SameAs(route))
            {
                return;
            }

            _desired[service] = drained;
            version = Publish([drained], []);
        }

        // Each router acknowledges once the replica's in-flight requests are done (or its drain timeout passed).
        await WaitAsync(version, service, _options.AckTimeout + drained.Settings.DrainTimeout, cancellationToken);
    }

    public async Task RemoveAsync(string service, CancellationToken cancellationToken)
    {
        long version;
        lock (_gate)
        {
            _desired.Remove(service);
            version = Publish([], [service]);
        }

        await WaitAsync(version, service, _options.AckTimeout, cancellationToken);
    }

    /// <summary>
    /// The route every live router serves for the service: the desired one once all have applied it, else the one a
    /// lagging router still serves; null with no live router or when one serves nothing for it.
    /// </summary>
    public ServiceRoute? Current(string service)
    {
        lock (_gate)
        {
            var live = LiveMembers();
            if (live.Count == 0)
            {
                return null;
            }

            ServiceRoute? first = null;
            foreach (var member in live)
            {
                if (!member.Applied.TryGetValue(service, out var applied))
                {
                    return null;
                }

                if (first is null)
                {
                    first = applied;
                }
                else if (!applied.SameAs(first))
                {
                    // Routers disagree: report the one that is not the desired route, so the engine knows it is not served yet.
                    return _desired.TryGetValue(service, out var desired) && applied.SameAs(desired) ? first : applied;
                }
            }

            return first;
        }
    }

    /// <summary>True once the engine has given a route for <paramref name="service"/>.</summary>
    public bool Wants(string service)
    {
        lock (_gate)
        {
            return _desired.ContainsKey(service);
        }
    }

    /// <summary>The control plane knows every route it wants (its first pass is over): routers may drop services it does not list.</summary>
    public void MarkAuthoritative()
    {
        lock (_gate)
        {
            if (_authoritative)
            {
                return;
            }

            _authoritative = true;
            foreach (var member in _members.Values.Where(m => m.Stream is not null))
            {
                SendFull(member);
            }
        }
    }

    private async Task<RouteApplyResult> WaitAsync(long version, string service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var live = LiveMembers();
                if (live.Count > 0)
                {
                    if (live.FirstOrDefault(m => m.AckedVersion >= version && m.Errors.ContainsKey(service)) is { } refused)
                    {
                        return RouteApplyResult.Failed(refused.Errors[service]);
                    }

                    if (live.All(m => m.AckedVersion >= version))
                    {
                        return RouteApplyResult.Ok;
                    }
                }

                var waited = _time.GetUtcNow() - start;
                if (live.Count == 0 && waited >= _options.NoRouterGrace)
                {
                    return RouteApplyResult.Failed("no Berth router is connected to apply the route (see `berth router ls`; the server starts one on the process runtime)");
                }

                if (live.Count > 0 && waited >= timeout)
                {
                    var late = string.Join(", ", live.Where(m => m.AckedVersion < version).Select(m => m.Id));
                    return RouteApplyResult.Failed($"router(s) {late} did not acknowledge route version {version} within {Engine.DurationText.Format(timeout)}");
                }

                changed = _changed.Task;
            }

            await Task.WhenAny(changed, Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private long Publish(IReadOnlyList<ServiceRoute> upserts, IReadOnlyList<string> removals)
    {
        var update = new RouteUpdate(++_version, upserts, removals, Full: false, Authoritative: false);
        foreach (var member in _members.Values.Where(m => m.Stream is not null))
        {
            member.Pending.Add(update);
            member.Stream!.Writer.TryWrite(update);
        }

        return update.Version;
    }

    private void SendFull(RouterMember member)
    {
        var update = new RouteUpdate(++_version, _desired.Values.ToList(), [], Full: true, Authoritative: _authoritative);
        member.Pending.Add(update);
        member.Stream!.Writer.TryWrite(update);
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
