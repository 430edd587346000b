using Berth.Api;
using Berth.Spec;
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
            string stack, DeployRequest? request, StackDeployer deployer, RegistryLoginUpdater logins, Berth.Images.RegistryLoginStore kept,
            Berth.Pipeline.ManualEntryGuard environments, CancellationToken ct) =>
        {
            if (request?.Spec?.Services is null)
            {
                throw ProblemException.Invalid("the request body must be a DeployRequest with a spec");
            }

            if (SpecNulls.Find(request.Spec, "spec") is { Count: > 0 } nulls)
            {
                throw ProblemException.Invalid("the spec holds null where a value is required", nulls);
            }

            // --env E deploys STACK-E with E's overrides; an environment whose entry is manual takes no plain deploy.
            var (target, spec) = await environments.ResolveAsync(stack, request.Spec, request.Environment, ct);
            request = request with { Spec = spec };

            // --with-registry-auth: checked with their registries and kept (encrypted) first, as the pins pull with them;
            // put back as they were when the deploy is refused after all (a refused request changes nothing).
            if (request.RegistryLogins is not { Count: > 0 } given)
            {
                return await deployer.DeployAsync(target, request, ct);
            }

            var before = kept.Snapshot();
            try
            {
                await logins.SaveAsync(given, ct);
                return await deployer.DeployAsync(target, request, ct);
            }
            catch
            {
                kept.Restore(before);
                throw;
            }
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
