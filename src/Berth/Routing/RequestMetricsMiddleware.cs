using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Berth.Routing;

/// <summary>Times every request, records it per release and replica, and names the replica that served it in a header.</summary>
internal sealed class RequestMetricsMiddleware
{
    public const string ServedByHeader = "X-Berth-Served-By";
    private readonly RequestDelegate _next;
    private readonly RouteSnapshot _snapshot;
    private readonly RouterMetrics _metrics;

    public RequestMetricsMiddleware(RequestDelegate next, RouteSnapshot snapshot, RouterMetrics metrics)
    {
        _next = next;
        _snapshot = snapshot;
        _metrics = metrics;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var route = _snapshot.Route;
        if (route.Settings.ServedByHeader)
        {
            context.Response.OnStarting(AddServedBy, context);
        }

        await _next(context);

        var destination = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination;
        if (destination is null)
        {
            return; // Answered by Berth itself (no replica): not a release's traffic.
        }

        var connectionError = context.GetForwarderErrorFeature() is not null;
        _metrics.Record(route.Service, ReleaseOf(destination), destination.DestinationId, context.Response.StatusCode, connectionError, Stopwatch.GetElapsedTime(started));
    }

    private static Task AddServedBy(object state)
    {
        var context = (HttpContext)state;
        if (context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.Model.Config.Metadata is { } metadata
            && metadata.TryGetValue(YarpConfigBuilder.ServedByMetadata, out var servedBy))
        {
            context.Response.Headers[ServedByHeader] = servedBy;
        }

        return Task.CompletedTask;
    }

    internal static int ReleaseOf(DestinationState destination) =>
        destination.Model.Config.Metadata?.TryGetValue("release", out var release) == true && int.TryParse(release, out var number) ? number : 0;
}
