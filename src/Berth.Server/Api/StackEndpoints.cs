using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Berth.Deployments;
using Berth.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class StackEndpoints
{
    public static void MapStackEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Stacks, (ServiceQueries queries, CancellationToken ct) => queries.GetStacksAsync(ct))
            .Requires(BerthPermission.Read, "stack.ls");

        app.MapPost(ApiRoutes.Stacks + "/{stack}/deploy", async (
            string stack, DeployRequest? request, StackDeployer deployer, RegistryLoginUpdater logins, Berth.Pipeline.ManualEntryGuard environments, CancellationToken ct) =>
        {
            if (request?.Spec?.Services is null)
            {
                throw ProblemException.Invalid("the request body must be a DeployRequest with a spec");
            }

            // --env E deploys STACK-E with E's overrides; an environment whose entry is manual takes no plain deploy.
            var (target, spec) = await environments.ResolveAsync(stack, request.Spec, request.Environment, ct);
            request = request with { Spec = spec };

            // --with-registry-auth: checked with their registries and kept (encrypted) first, as the pins pull with them.
            if (request.RegistryLogins is { Count: > 0 } given)
            {
                await logins.SaveAsync(given, ct);
            }

            return await deployer.DeployAsync(target, request, ct);
        })
            .Requires(BerthPermission.Deploy, "stack.deploy");

        app.MapDelete(ApiRoutes.Stacks + "/{stack}", async (string stack, StackDeployer deployer, CancellationToken ct) =>
        {
            var removed = await deployer.RemoveAsync(stack, ct);
            return Results.Ok(new StackRemovalInfo(stack, removed));
        })
            .Requires(BerthPermission.Deploy, "stack.rm");
    }
}
