using System.Threading.Channels;
using Berth.Api;

namespace Berth.Routing.Fleet;

/// <summary>The routers' side of the fleet: their streams, acknowledgements, heartbeats and staleness, and `router ls`.</summary>
public sealed partial class RouterFleet
{
    /// <summary>A router opens its stream: it first gets every route wanted now, then each change.</summary>
    public ChannelReader<RouteUpdate> Connect(string routerId)
    {
        ChannelReader<RouteUpdate> reader;
        var joined = false;
        lock (_gate)
        {
            var member = Member(routerId);
            member.Stream?.Writer.TryComplete();
            member.Stream = Channel.CreateUnbounded<RouteUpdate>(new UnboundedChannelOptions { SingleReader = true });
            member.Pending.Clear();
            member.Applied.Clear();
            joined = member.LastHeard is null || member.Stale;
            member.LastHeard = _time.GetUtcNow();
            member.Stale = false;
            SendFull(member);
            reader = member.Stream.Reader;
            Signal();
        }

        if (joined)
        {
            Notify(routerId, "router.joined", $"router {routerId} connected");
        }

        return reader;
    }

    /// <summary>The router's stream closed (it went away, or opened a new one).</summary>
    public void Disconnect(string routerId, ChannelReader<RouteUpdate> stream)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(routerId, out var member) && member.Stream?.Reader == stream)
            {
                member.Stream.Writer.TryComplete();
                member.Stream = null;
            }
        }
    }

    /// <summary>A router applied every update up to <see cref="RouterAck.Version"/>.</summary>
    public void Acknowledge(string routerId, RouterAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        lock (_gate)
        {
            var member = Member(routerId);
            member.LastHeard = _time.GetUtcNow();
            foreach (var update in member.Pending.Where(u => u.Version <= ack.Version).ToList())
            {
                if (update.Full && update.Authoritative)
                {
                    foreach (var gone in member.Applied.Keys.Where(s => !update.Upserts.Any(u => u.Service == s)).ToList())
                    {
                        member.Applied.Remove(gone);
                    }
                }

                foreach (var route in update.Upserts.Where(r => !ack.Errors.ContainsKey(r.Service)))
                {
                    member.Applied[route.Service] = route;
                }

                foreach (var removed in update.Removals)
                {
                    member.Applied.Remove(removed);
                }

                member.Pending.Remove(update);
            }

            member.AckedVersion = Math.Max(member.AckedVersion, ack.Version);
            member.Errors.Clear();
            foreach (var (service, error) in ack.Errors)
            {
                member.Errors[service] = error;
            }

            Signal();
        }
    }

    /// <summary>A router's periodic report: its heartbeat (and what it measured, which <see cref="FleetMetrics"/> takes).</summary>
    public void Heard(string routerId, RouterReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        bool back;
        bool outdated;
        lock (_gate)
        {
            var member = Member(routerId);
            back = member.Stale;
            outdated = report.Version != _options.ServerVersion && member.LastReport?.Version != report.Version;
            member.Stale = false;
            member.LastHeard = _time.GetUtcNow();
            member.LastReport = report;
            Signal();
        }

        if (back)
        {
            Notify(routerId, "router.back", $"router {routerId} is heard from again");
        }

        if (outdated)
        {
            Notify(
                routerId,
                "router.outdated",
                $"router {routerId} runs Berth {report.Version}, the control plane {_options.ServerVersion}: replace it (`berth router stop`, then start the server again)");
        }
    }

    /// <summary>Marks routers not heard from lately as stale, with an event each (called every second by the server).</summary>
    public void CheckStaleness()
    {
        List<string> stale;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            stale = _members.Values
                .Where(m => !m.Stale && m.LastHeard is { } heard && now - heard > _options.StaleAfter)
                .Select(m => m.Id)
                .ToList();
            foreach (var id in stale)
            {
                _members[id].Stale = true;
            }

            if (stale.Count > 0)
            {
                Signal();
            }
        }

        foreach (var id in stale)
        {
            Notify(id, "router.stale", $"router {id} not heard from for {Engine.DurationText.Format(_options.StaleAfter)}: left out of route acknowledgements until it is back");
        }
    }

    /// <summary>A router that was stopped on purpose: forgotten, not waited for.</summary>
    public void Forget(string routerId)
    {
        lock (_gate)
        {
            if (_members.Remove(routerId, out var member))
            {
                member.Stream?.Writer.TryComplete();
            }

            Signal();
        }
    }

    /// <summary>Every router the control plane knows, for `berth router ls`.</summary>
    public IReadOnlyList<RouterInfo> List()
    {
        lock (_gate)
        {
            return _members.Values
                .OrderBy(m => m.Id, StringComparer.Ordinal)
                .Select(m => new RouterInfo(
                    m.Id,
                    m.LastReport?.Pid,
                    m.LastReport?.Node ?? "",
                    m.LastReport?.Version,
                    m.AckedVersion,
                    m.Stale || m.LastHeard is null ? "stale" : m.Stream is null ? "disconnected" : "live",
                    m.AckedVersion < _version,
                    m.LastReport is { } last && last.Version != _options.ServerVersion,
                    m.LastHeard,
                    m.Applied.Count,
                    new Dictionary<string, string>(m.Errors, StringComparer.Ordinal)))
                .ToList();
        }
    }

    /// <summary>Routers heard from lately (connected or not: a router between two streams still serves).</summary>
    private List<RouterMember> LiveMembers()
    {
        var now = _time.GetUtcNow();
        return _members.Values.Where(m => !m.Stale && m.LastHeard is { } heard && now - heard <= _options.StaleAfter).ToList();
    }

    private RouterMember Member(string routerId)
    {
        if (!_members.TryGetValue(routerId, out var member))
        {
            member = new RouterMember(routerId);
            _members[routerId] = member;
        }

        return member;
    }

    private void Notify(string routerId, string change, string message)
    {
        if (_observer is not null)
        {
            _ = _observer.RouterChangedAsync(routerId, change, message, CancellationToken.None);
        }
    }
}
