using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Berth.Routing;

/// <summary>
/// Retries once, on another replica, a request whose connection failed before anything was sent back, when its
/// method is idempotent (configurable) and it has no body. This is what hides a replica that just died.
/// </summary>
internal sealed class RetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RouteSnapshot _snapshot;
    private readonly RouterMetrics _metrics;

    public RetryMiddleware(RequestDelegate next, RouteSnapshot snapshot, RouterMetrics metrics)
    {
        _next = next;
        _snapshot = snapshot;
        _metrics = metrics;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        // Load balancing narrows AvailableDestinations to the one it picked: keep the full list for a second pick.
        var feature = context.GetReverseProxyFeature();
        var candidates = feature.AvailableDestinations;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await _next(context);
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted || !IsRetryable(context, error.Error))
        {
            return;
        }

        var failed = feature.ProxiedDestination;
        var others = candidates.Where(d => d != failed).ToList();
        if (others.Count == 0)
        {
            return;
        }

        // The failed attempt counts against the replica that failed (the retry's answer counts for the other one).
        if (failed is not null)
        {
            _metrics.Record(_snapshot.Route.Service, RequestMetricsMiddleware.ReleaseOf(failed), failed.DestinationId, StatusCodes.Status502BadGateway, connectionError: true, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.Clear();
        feature.AvailableDestinations = others;
        await _next(context);
    }

    private bool IsRetryable(HttpContext context, ForwarderError error)
    {
        var methods = _snapshot.Route.Settings.RetryMethods;
        var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        return error is ForwarderError.Request or ForwarderError.RequestTimedOut
            && !hasBody
            && methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase);
    }
}
