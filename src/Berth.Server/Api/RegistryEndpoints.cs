using Berth.Api;
using Berth.Deployments;
using Berth.Images;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

/// <summary>
/// The registry logins the server pulls images with: listed without passwords (deployer: they name what the server
/// can pull), given (PUT, checked with the registry first) and forgotten (DELETE). No answer carries a password.
/// </summary>
internal static class RegistryEndpoints
{
    public static void MapRegistryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Registries, (RegistryLoginStore logins) =>
                logins.List().Select(l => new RegistryLoginInfo(l.Registry, l.Username, l.UpdatedAt)).ToList())
            .Requires(BerthPermission.Deploy, "registry.ls");

        app.MapPut(ApiRoutes.Registries + "/{registry}", async (string registry, RegistryLoginRequest? request, RegistryLoginUpdater updater, HttpContext context, CancellationToken ct) =>
            {
                AuditContext.SetTarget(context, registry);
                if (request is null)
                {
                    throw ProblemException.Invalid("the request body must be a RegistryLoginRequest: {\"registry\": \"ghcr.io\", \"username\": \"me\", \"password\": \"…\"}");
                }

                return (await updater.SaveAsync([request with { Registry = registry }], ct)).Single();
            })
            .Requires(BerthPermission.Deploy, "registry.login");

        app.MapDelete(ApiRoutes.Registries + "/{registry}", async (string registry, RegistryLoginStore logins, HttpContext context, CancellationToken ct) =>
            {
                AuditContext.SetTarget(context, registry);
                return await logins.RemoveAsync(registry, ct)
                    ? Results.NoContent()
                    : throw ProblemException.NotFound($"the server has no login for registry {RegistryName.Normalize(registry)}");
            })
            .Requires(BerthPermission.Deploy, "registry.logout");
    }
}
