namespace Berth.Routing.Tcp;

/// <summary>
/// Picks the pool (stable or candidate) of each TCP connection. There is no user at this level to keep sticky, so the
/// weight splits connections: of every 100 in a row, exactly <c>weight</c> go to the candidate, spread evenly. A
/// preview door always reaches the candidate; an A/B match rule (headers, cookies) matches no connection.
/// </summary>
internal sealed class TcpPoolSplit
{
    // Coprime with 100: connection n lands in bucket (n × 37) mod 100, every bucket once per 100 connections.
    private const int Stride = 37;
    private long _connections;

    public RoutePool Choose(ServiceRoute route, bool preview)
    {
        if (route.Candidate is not { } candidate)
        {
            return route.Stable;
        }

        if (preview)
        {
            return candidate;
        }

        if (route.Settings.Match is not null || route.CandidateWeight <= 0)
        {
            return route.Stable;
        }

        if (route.CandidateWeight >= StickyBuckets.Count)
        {
            return candidate;
        }

        var bucket = (int)((Interlocked.Increment(ref _connections) * Stride) % StickyBuckets.Count);
        return bucket < route.CandidateWeight ? candidate : route.Stable;
    }
}
