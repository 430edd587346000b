using Berth.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Berth.Server.Api;

internal static class MetricsEndpoints
{
    /// <summary>GET /metrics: the router's metrics in Prometheus text format.</summary>
    public static void MapMetricsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", async (RouterMetrics metrics, HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
}
