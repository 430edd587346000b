namespace Berth.Routing.Tcp;

/// <summary>
/// Picks the replica of a TCP connection among a pool's, by the route's balancing policy counted in open connections:
/// <c>round_robin</c>, <c>least_requests</c> (least connections, ties taken in turn), <c>power_of_two_choices</c> (the
/// less busy of two at random) or <c>random</c>. Replicas already tried for this connection are skipped, and so are
/// ejected ones unless every untried replica is ejected (panic routing, as the HTTP doors do).
/// </summary>
internal sealed class TcpBalancer
{
    private int _cursor = -1;

    /// <param name="destinations">The pool's ready replicas.</param>
    /// <param name="policy">A <see cref="BalancingPolicies"/> name.</param>
    /// <param name="tried">Replicas that already refused this connection.</param>
    /// <param name="isEjected">Whether passive health has ejected a replica.</param>
    /// <param name="open">Open connections to a replica.</param>
    public RouteDestination? Pick(
        IReadOnlyList<RouteDestination> destinations,
        string policy,
        IReadOnlySet<string> tried,
        Func<string, bool> isEjected,
        Func<string, int> open)
    {
        var untried = destinations.Where(d => !tried.Contains(d.ReplicaId)).ToList();
        if (untried.Count == 0)
        {
            return null;
        }

        var healthy = untried.Where(d => !isEjected(d.ReplicaId)).ToList();
        var candidates = healthy.Count > 0 ? healthy : untried;
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        return policy switch
        {
            BalancingPolicies.RoundRobin => candidates[Next(candidates.Count)],
            BalancingPolicies.LeastRequests => LeastConnections(candidates, open),
            BalancingPolicies.Random => candidates[Random.Shared.Next(candidates.Count)],
            _ => TwoChoices(candidates, open),
        };
    }

    private int Next(int count) => (int)((uint)Interlocked.Increment(ref _cursor) % (uint)count);

    // Starting from a turning position, so replicas with as few connections as each other take turns.
    private RouteDestination LeastConnections(List<RouteDestination> candidates, Func<string, int> open)
    {
        var start = Next(candidates.Count);
        var best = candidates[start];
        var fewest = open(best.ReplicaId);
        for (var i = 1; i < candidates.Count && fewest > 0; i++)
        {
            var candidate = candidates[(start + i) % candidates.Count];
            var count = open(candidate.ReplicaId);
            if (count < fewest)
            {
                (best, fewest) = (candidate, count);
            }
        }

        return best;
    }

    private static RouteDestination TwoChoices(List<RouteDestination> candidates, Func<string, int> open)
    {
        var first = Random.Shared.Next(candidates.Count);
        var second = Random.Shared.Next(candidates.Count - 1);
        if (second >= first)
        {
            second++;
        }

        var (a, b) = (candidates[first], candidates[second]);
        return open(b.ReplicaId) < open(a.ReplicaId) ? b : a;
    }
}
