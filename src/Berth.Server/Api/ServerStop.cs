using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.Server.Api;

/// <summary>
/// For responses that never end on their own (followed events and logs, a router's route stream, the dashboard's live
/// stream): a token that ends when the client goes away or the server stops, so the server's shutdown does not wait
/// for them. Short requests keep RequestAborted alone: a deploy in progress is not cut short by a stop.
/// </summary>
internal static class ServerStop
{
    public static CancellationTokenSource LinkStream(HttpContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
}
