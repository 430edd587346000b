using Berth.Api;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Runtimes;
using Berth.Security;
using Berth.Server.Security;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class NodeEndpoints
{
    public static void MapNodeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Nodes, (IRuntimeDriver driver, BerthStore store, CancellationToken ct) => ListAsync(driver, store, ct))
            .Requires(BerthPermission.Read, "node.ls");

        app.MapPost(ApiRoutes.Nodes + "/{node}/drain", (string node, IRuntimeDriver driver, BerthStore store, EventLog events, CancellationToken ct) =>
            SetAvailabilityAsync(node, NodeAvailabilities.Drain, driver, store, events, ct))
            .Requires(BerthPermission.Administer, "node.drain");

        app.MapPost(ApiRoutes.Nodes + "/{node}/activate", (string node, IRuntimeDriver driver, BerthStore store, EventLog events, CancellationToken ct) =>
            SetAvailabilityAsync(node, NodeAvailabilities.Active, driver, store, events, ct))
            .Requires(BerthPermission.Administer, "node.activate");
    }

    private static async Task<List<NodeInfo>> ListAsync(IRuntimeDriver driver, BerthStore store, CancellationToken ct)
    {
        var live = (await store.GetReplicasAsync(null, ct)).Count(r => r.IsLive);
        var nodes = await driver.ListNodesAsync(ct);

        // A runtime that knows where replicas run says so; the process runtime has one node, so every live replica not
        // counted on another node (a target's) is on it.
        var unknown = nodes.Count(n => n.Replicas is null);
        var rest = live - nodes.Sum(n => n.Replicas ?? 0);
        return nodes.Select(n => new NodeInfo(n.Id, n.Hostname, n.Role, n.Availability, n.State, n.Replicas ?? (unknown == 1 ? Math.Max(rest, 0) : 0), n.Address, n.Target)).ToList();
    }

    private static async Task<NodeInfo> SetAvailabilityAsync(
        string node, string availability, IRuntimeDriver driver, BerthStore store, EventLog events, CancellationToken ct)
    {
        await driver.SetNodeAvailabilityAsync(node, availability, ct);
        var verb = availability == NodeAvailabilities.Drain ? "drained" : "activated";
        await events.AppendAsync($"node.{verb}", null, null, null, $"node {node} {verb}", ct);
        var nodes = await ListAsync(driver, store, ct);
        return nodes.First(n => n.Id == node || n.Hostname == node || n.Id.StartsWith(node, StringComparison.Ordinal));
    }
}
