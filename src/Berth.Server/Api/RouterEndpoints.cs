using Berth.Api;
using Berth.Routing.Fleet;
using Berth.Security;
using Berth.Server.Routers;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Api;

internal static class RouterEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void MapRouterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Routers, (RouterFleet fleet) => fleet.List())
            .Requires(BerthPermission.Read, "router.ls");

        app.MapGet(ApiRoutes.Routers + "/{id}/routes", async (string id, RouterFleet fleet, HttpContext context) =>
            {
                // The router keeps serving its last routes when the server stops, and reconnects.
                using var ended = ServerStop.LinkStream(context);
                var aborted = ended.Token;
                var stream = fleet.Connect(id);
                context.Response.ContentType = "application/x-ndjson";
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.StartAsync(aborted);
                try
                {
                    while (!aborted.IsCancellationRequested)
                    {
                        using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                        wait.CancelAfter(KeepAlive);
                        bool more;
                        try
                        {
                            more = await stream.WaitToReadAsync(wait.Token);
                        }
                        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                        {
                            // Nothing to send for a while: a blank line tells the router the link is alive.
                            await context.Response.Body.WriteAsync("\n"u8.ToArray(), aborted);
                            await context.Response.Body.FlushAsync(aborted);
                            continue;
                        }

                        if (!more)
                        {
                            break;
                        }

                        while (stream.TryRead(out var update))
                        {
                            await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, update, ApiJson.Options, aborted);
                            await context.Response.Body.WriteAsync("\n"u8.ToArray(), aborted);
                        }

                        await context.Response.Body.FlushAsync(aborted);
                    }
                }
                catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                {
                    // The router went away, or the server stops.
                }
                finally
                {
                    fleet.Disconnect(id, stream);
                }
            })
            .Requires(BerthPermission.Route, "router.follow", auditChanges: false);

        app.MapPost(ApiRoutes.Routers + "/{id}/ack", (string id, RouterAck? ack, RouterFleet fleet) =>
            {
                RouterMessageCheck.Check(ack);
                fleet.Acknowledge(id, ack!);
                return Results.NoContent();
            })
            .Requires(BerthPermission.Route, "router.ack", auditChanges: false);

        app.MapPost(ApiRoutes.Routers + "/{id}/report", (string id, RouterReport? report, RouterFleet fleet, FleetMetrics metrics) =>
            {
                RouterMessageCheck.Check(report);
                fleet.Heard(id, report!);
                metrics.Absorb(id, report!.Metrics);
                return Results.NoContent();
            })
            .Requires(BerthPermission.Route, "router.report", auditChanges: false);

        app.MapPost(ApiRoutes.Routers + "/{id}/stop", async (string id, RouterSupervisor supervisor, RouterFleet fleet, CancellationToken ct) =>
            {
                await supervisor.StopAsync(id, ct);
                return fleet.List();
            })
            .Requires(BerthPermission.Administer, "router.stop");

        app.MapPost(ApiRoutes.Routers + "/{id}/restart", async (string id, RouterSupervisor supervisor, CancellationToken ct) =>
            {
                var (oldPid, newPid) = await supervisor.RestartAsync(id, ct);
                return new RouterRestartInfo(id, oldPid, newPid);
            })
            .Requires(BerthPermission.Administer, "router.restart");
    }
}
