using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Berth.Deployments;
using Berth.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class ReplicaEndpoints
{
    public static void MapReplicaEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Replicas, (string? stack, string? service, bool? all, ServiceQueries queries, CancellationToken ct) =>
            queries.GetReplicasAsync(stack, service, all ?? false, ct))
            .Requires(BerthPermission.Read, "replica.ls");

        app.MapPost(ApiRoutes.Replicas + "/{id}/kill", async (string id, ReplicaKiller killer, CancellationToken ct) =>
        {
            await killer.KillAsync(id, ct);
            return Results.Ok(new ReplicaKillInfo(id, Killed: true));
        })
            .Requires(BerthPermission.Deploy, "replica.kill");
    }
}
