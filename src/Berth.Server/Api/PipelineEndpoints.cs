using Berth.Api;
using Berth.Pipeline;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

/// <summary>Stack releases, environments, approvals, environment rollbacks, history and targets.</summary>
internal static class PipelineEndpoints
{
    public static void MapPipelineEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Stacks + "/{stack}/releases", (string stack, PipelineQueries queries, CancellationToken ct) => queries.GetReleasesAsync(stack, ct))
            .Requires(BerthPermission.Read, "stack.releases");

        app.MapPost(ApiRoutes.Stacks + "/{stack}/releases", (string stack, StackReleaseRequest? request, StackReleases releases, HttpContext context, CancellationToken ct) =>
            request?.Specs is null
                ? throw ProblemException.Invalid("the request body must be a StackReleaseRequest with specs")
                : releases.CreateAsync(stack, request, BerthClaims.NameOf(context.User), ct))
            .Requires(BerthPermission.Deploy, "release.create");

        app.MapGet(ApiRoutes.Stacks + "/{stack}/environments", (string stack, PipelineQueries queries, CancellationToken ct) => queries.GetEnvironmentsAsync(stack, ct))
            .Requires(BerthPermission.Read, "env.ls");

        app.MapGet(ApiRoutes.Stacks + "/{stack}/history", (string stack, string? env, PipelineQueries queries, CancellationToken ct) => queries.GetHistoryAsync(stack, env, ct))
            .Requires(BerthPermission.Read, "history");

        app.MapPost(ApiRoutes.Stacks + "/{stack}/environments/{environment}/approve", (string stack, string environment, ApprovalRequest? request, StackReleases releases, HttpContext context, CancellationToken ct) =>
            releases.ApproveAsync(stack, environment, request ?? throw ProblemException.Invalid("the request body must be an ApprovalRequest"), BerthClaims.NameOf(context.User), ct))
            .Requires(BerthPermission.Approve, "env.approve");

        app.MapPost(ApiRoutes.Stacks + "/{stack}/environments/{environment}/reject", (string stack, string environment, ApprovalRequest? request, StackReleases releases, HttpContext context, CancellationToken ct) =>
            releases.RejectAsync(stack, environment, request ?? throw ProblemException.Invalid("the request body must be an ApprovalRequest"), BerthClaims.NameOf(context.User), ct))
            .Requires(BerthPermission.Approve, "env.reject");

        app.MapPost(ApiRoutes.Stacks + "/{stack}/environments/{environment}/rollback", (string stack, string environment, EnvironmentRollbackRequest? request, StackReleases releases, HttpContext context, CancellationToken ct) =>
            releases.RollbackAsync(stack, environment, request ?? new EnvironmentRollbackRequest(), BerthClaims.NameOf(context.User), ct))
            .Requires(BerthPermission.Deploy, "env.rollback");

        app.MapGet(ApiRoutes.Stacks + "/{stack}/diff", (string stack, string[]? env, PipelineQueries queries, CancellationToken ct) =>
            env is { Length: 2 }
                ? queries.DiffAsync(stack, env[0], env[1], ct)
                : throw ProblemException.Invalid("name two environments: ?env=staging&env=prod (berth diff STACK --env staging --env prod)"))
            .Requires(BerthPermission.Read, "env.diff");

        app.MapGet(ApiRoutes.Targets, (DeployTargets targets) => targets.All)
            .Requires(BerthPermission.Read, "target.ls");

        // Targets are the admin's: a deployer names one in an environment, never an engine address.
        app.MapPost(ApiRoutes.Targets, async (TargetAddRequest? request, Berth.Targets.TargetRegistry docker, DeployTargets targets, HttpContext context, CancellationToken ct) =>
            {
                AuditContext.SetTarget(context, request?.Name ?? "?");
                var added = await docker.AddAsync(request, BerthClaims.NameOf(context.User), ct);
                return targets.Find(added.Name)!;
            })
            .Requires(BerthPermission.Administer, "target.add");

        app.MapDelete(ApiRoutes.Targets + "/{name}", async (string name, Berth.Targets.TargetRegistry docker, CancellationToken ct) =>
            {
                await docker.RemoveAsync(name, ct);
                return Results.NoContent();
            })
            .Requires(BerthPermission.Administer, "target.rm");
    }
}
