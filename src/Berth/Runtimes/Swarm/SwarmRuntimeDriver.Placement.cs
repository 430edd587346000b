using System.Globalization;
using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

public sealed partial class SwarmRuntimeDriver
{
    /// <summary>At most this many nodes are described in a "cannot be placed" message.</summary>
    private const int NodesDescribed = 10;

    /// <summary>
    /// Why a replica's task has no node, for people: the service, its placement constraints (and reservations), Swarm's
    /// own words, and the nodes with their labels, so the missing label or the wrong constraint is plain to see.
    /// </summary>
    private async Task<string> UnschedulableMessageAsync(SwarmReplica replica, string? swarmSays, CancellationToken cancellationToken)
    {
        var deploy = replica.Launch.Spec?.Deploy;
        var constraints = deploy?.Placement.Constraints ?? [];
        var reservations = deploy?.Resources.Reservations;
        var wants = constraints.Count > 0
            ? $"no node satisfies its placement constraints [{string.Join(", ", constraints)}]"
            : "no node can take it";
        if (reservations is { } r && (r.Cpus is not null || r.MemoryBytes is not null))
        {
            var parts = new[] { r.Cpus is { } c ? $"cpus {c.ToString(CultureInfo.InvariantCulture)}" : null, r.MemoryBytes is { } m ? $"memory {m.ToString(CultureInfo.InvariantCulture)} bytes" : null };
            wants += $" with the reserved resources ({string.Join(", ", parts.OfType<string>())})";
        }

        string nodes;
        try
        {
            nodes = DescribeNodes(await _docker.Swarm.ListNodesAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (DockerApiException e)
        {
            nodes = $"the nodes could not be listed ({ErrorOf(e)})";
        }

        return $"service {replica.Launch.Service} cannot be placed: {wants} (Swarm: {swarmSays ?? "no suitable node"}); {nodes}. " +
            "Change deploy.placement (or deploy.resources.reservations), or label a node to match (docker node update --label-add KEY=VALUE NODE)";
    }

    private static string DescribeNodes(IList<Models.NodeListResponse> nodes)
    {
        var described = nodes
            .OrderBy(n => n.Description?.Hostname, StringComparer.Ordinal)
            .Take(NodesDescribed)
            .Select(n =>
            {
                var labels = n.Spec?.Labels is { Count: > 0 } l ? string.Join(", ", l.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "none";
                return $"{n.Description?.Hostname ?? n.ID} ({n.Spec?.Role ?? "worker"}, {n.Spec?.Availability ?? "active"}, node labels: {labels})";
            });
        var more = nodes.Count > NodesDescribed ? $" and {nodes.Count - NodesDescribed} more" : "";
        return $"the swarm has {nodes.Count} node{(nodes.Count == 1 ? "" : "s")}: {string.Join("; ", described)}{more}";
    }
}
