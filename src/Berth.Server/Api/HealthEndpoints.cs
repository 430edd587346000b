using System.Net;
using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Liveness, for anyone. A caller on this machine also learns where the local admin token is: it can read the
        // file only if the file system lets it (the docker.sock model), and that is how `berth` finds it with no setup.
        app.MapGet(ApiRoutes.Health, (HttpContext context, LocalAdminCredential local) =>
            context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
                ? new HealthInfo("ok", local.FilePath)
                : new HealthInfo("ok", null))
            .Public("health");

        app.MapGet(ApiRoutes.WhoAmI, (HttpContext context) => new WhoAmI(
                BerthClaims.NameOf(context.User)!,
                RolePermissions.Name(BerthClaims.RoleOf(context.User)!.Value),
                context.User.FindFirst(System.Security.Claims.ClaimTypes.Expiration) is { } expires ? DateTimeOffset.Parse(expires.Value, System.Globalization.CultureInfo.InvariantCulture) : null))
            .Requires(BerthPermission.Read, "whoami");
    }
}
