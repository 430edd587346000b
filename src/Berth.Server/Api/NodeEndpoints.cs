using Berth.Api;
using Berth.Runtimes;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class NodeEndpoints
{
    public static void MapNodeEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ApiRoutes.Nodes, async (IRuntimeDriver driver, BerthStore store, CancellationToken ct) =>
        {
            var live = (await store.GetReplicasAsync(null, ct)).Count(r => r.IsLive);
            var nodes = await driver.ListNodesAsync(ct);

            // The process runtime has one node, so every live replica is on it.
            return nodes.Select(n => new NodeInfo(n.Id, n.Hostname, n.Role, n.Availability, n.State, nodes.Count == 1 ? live : 0)).ToList();
        });
}
