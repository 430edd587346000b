using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Berth.Runtimes;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Berth.Server.Api;

internal static class InfoEndpoints
{
    public static void MapInfoEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ApiRoutes.Info, (IRuntimeDriver driver, IOptions<StoreOptions> store) =>
            new ServerInfo(typeof(InfoEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", driver.Name, Path.GetFullPath(store.Value.DataDirectory)))
            .Requires(BerthPermission.Read, "server.info");
}
