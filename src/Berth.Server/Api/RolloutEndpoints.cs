using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Berth.Deployments;
using Berth.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class RolloutEndpoints
{
    public static void MapRolloutEndpoints(this IEndpointRouteBuilder app)
    {
        const string service = ApiRoutes.Services + "/{service}";
        app.MapGet(service + "/releases", (string service, RolloutQueries queries, CancellationToken ct) => queries.GetReleasesAsync(service, ct))
            .Requires(BerthPermission.Read, "release.ls");
        app.MapGet(service + "/rollout", (string service, RolloutQueries queries, CancellationToken ct) => queries.GetLatestAsync(service, ct))
            .Requires(BerthPermission.Read, "rollout.status");
        app.MapGet(service + "/rollout/report", (string service, int? release, RolloutQueries queries, CancellationToken ct) => queries.GetReportAsync(service, release, ct))
            .Requires(BerthPermission.Read, "rollout.report");
        app.MapPost(service + "/rollout/pause", async (string service, HttpContext context, RolloutCommands commands, RolloutQueries queries, CancellationToken ct) =>
        {
            await commands.PauseAsync(service, BerthClaims.NameOf(context.User), ct);
            return await queries.GetLatestAsync(service, ct);
        })
            .Requires(BerthPermission.Deploy, "rollout.pause");
        app.MapPost(service + "/rollout/resume", async (string service, HttpContext context, RolloutCommands commands, RolloutQueries queries, CancellationToken ct) =>
        {
            await commands.ResumeAsync(service, BerthClaims.NameOf(context.User), ct);
            return await queries.GetLatestAsync(service, ct);
        })
            .Requires(BerthPermission.Deploy, "rollout.resume");
        app.MapPost(service + "/rollout/retry", async (string service, HttpContext context, RolloutCommands commands, RolloutQueries queries, CancellationToken ct) =>
        {
            await commands.RetryAsync(service, BerthClaims.NameOf(context.User), ct);
            return await queries.GetLatestAsync(service, ct);
        })
            .Requires(BerthPermission.Deploy, "rollout.retry");
        app.MapPost(service + "/rollback", async (string service, RollbackRequest? request, HttpContext context, RolloutCommands commands, RolloutQueries queries, CancellationToken ct) =>
        {
            await commands.RollbackAsync(service, request?.ToRelease, BerthClaims.NameOf(context.User), ct);
            return await queries.GetLatestAsync(service, ct);
        })
            .Requires(BerthPermission.Deploy, "service.rollback");
        app.MapPost(service + "/promote", async (string service, PromoteRequest? request, HttpContext context, RolloutCommands commands, RolloutQueries queries, CancellationToken ct) =>
        {
            await commands.PromoteAsync(service, request?.Full ?? false, BerthClaims.NameOf(context.User), ct);
            return await queries.GetLatestAsync(service, ct);
        })
            .Requires(BerthPermission.Deploy, "service.promote");
        app.MapPost(service + "/abort", async (string service, HttpContext context, RolloutCommands commands, RolloutQueries queries, CancellationToken ct) =>
        {
            await commands.AbortAsync(service, BerthClaims.NameOf(context.User), ct);
            return await queries.GetLatestAsync(service, ct);
        })
            .Requires(BerthPermission.Deploy, "service.abort");
    }
}
