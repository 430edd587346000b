using Berth.Api;
using Berth.Routing;
using Berth.Security;
using Berth.Server.Diagnostics;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Berth.Server.Api;

internal static class MetricsEndpoints
{
    /// <summary>GET /metrics: the routers' metrics and the server process's own, in Prometheus text format.</summary>
    public static void MapMetricsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ApiRoutes.Metrics, async (Berth.Routing.Fleet.FleetMetrics metrics, ServerProcessMetrics server, HttpContext context) =>
        {
            // Every router's series, each with its router label (sum by the other labels for the fleet's totals).
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await context.Response.WriteAsync(metrics.PrometheusText(), context.RequestAborted);
            await server.WriteAsync(context.Response.Body, context.RequestAborted);
        })
            .Requires(BerthPermission.Read, "metrics");
}
