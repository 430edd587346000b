using Berth.Api;
using Berth.Routing;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Berth.Server.Api;

internal static class MetricsEndpoints
{
    /// <summary>GET /metrics: the router's metrics in Prometheus text format.</summary>
    public static void MapMetricsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(ApiRoutes.Metrics, async (RouterMetrics metrics, HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        })
            .Requires(BerthPermission.Read, "metrics");
}
