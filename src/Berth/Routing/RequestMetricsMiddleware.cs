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
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DestinationModel, DestinationMeters> _meters = new();

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
        MetersOf(route.Service, destination).Record(context.Response.StatusCode, connectionError, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The meters of a destination, cached on YARP's destination model (replaced whenever the destination's config
    /// changes, so release and replica id cannot go stale): no dictionary lookup by strings, no parsing per request.
    /// </summary>
    private DestinationMeters MetersOf(string service, DestinationState destination)
    {
        var model = destination.Model;
        if (_meters.TryGetValue(model, out var meters))
        {
            return meters;
        }

        meters = _metrics.MetersOf(service, ReleaseOf(destination), destination.DestinationId);
        _meters.AddOrUpdate(model, meters);
        return meters;
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
