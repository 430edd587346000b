using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Berth.Routing;

/// <summary>
/// Picks the pool (stable or candidate) of each request, in this order: the testers' override header, the A/B match
/// rule, then the user's sticky bucket against the candidate's weight. Answers 503 with a reason when the pool is empty.
/// </summary>
internal sealed class PoolSelectionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RouteSnapshot _snapshot;
    private readonly IProxyStateLookup _lookup;
    private readonly bool _preview;

    public PoolSelectionMiddleware(RequestDelegate next, RouteSnapshot snapshot, IProxyStateLookup lookup, FrontDoorRole role)
    {
        _next = next;
        _snapshot = snapshot;
        _lookup = lookup;
        _preview = role.Preview;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var route = _snapshot.Route;
        var pool = Choose(context, route);
        if (pool != route.Stable && _lookup.TryGetCluster(RouteSnapshot.CandidateClusterId(route.Service), out var candidate))
        {
            context.ReassignProxyRequest(candidate);
        }

        var feature = context.GetReverseProxyFeature();
        if (feature.AvailableDestinations.Count == 0)
        {
            if (feature.AllDestinations.Count > 0)
            {
                // Panic routing (Envoy's panic threshold): every replica of the pool is failing the router's health
                // checks or is ejected. On an overloaded machine the checks themselves time out while the replicas
                // still answer; trying them all beats a certain 503, and a replica that is really gone is retried.
                feature.AvailableDestinations = feature.AllDestinations;
                return _next(context);
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync($"Berth: service {route.Service} (release {pool.Release}) cannot answer: no replica is ready.\n");
        }

        return _next(context);
    }

    private RoutePool Choose(HttpContext context, ServiceRoute route)
    {
        if (route.Candidate is not { } candidate)
        {
            return route.Stable;
        }

        if (_preview)
        {
            return candidate;
        }

        var settings = route.Settings;
        if (context.Request.Headers.TryGetValue(settings.OverrideHeader, out var forced) && forced.Count > 0)
        {
            var wanted = forced[0]!.Trim().ToLowerInvariant();
            if (wanted is "canary" or "candidate" or "green" or "new" || wanted == candidate.Release.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return candidate;
            }

            if (wanted is "stable" or "blue" or "old" || wanted == route.Stable.Release.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return route.Stable;
            }
        }

        if (settings.Match is { } rule)
        {
            return Matches(context, rule) && route.CandidateWeight > 0 ? candidate : route.Stable;
        }

        return route.CandidateWeight switch
        {
            <= 0 => route.Stable,
            >= 100 => candidate,
            _ => StickyBuckets.Of(UserId(context, settings)) < route.CandidateWeight ? candidate : route.Stable,
        };
    }

    private static bool Matches(HttpContext context, MatchRule rule) =>
        (rule.Header is { } header && context.Request.Headers.TryGetValue(header, out var value) && value.Contains(rule.Value))
        || (rule.Cookie is { } cookie && context.Request.Cookies.TryGetValue(cookie, out var cookieValue) && cookieValue == rule.Value);

    private static string UserId(HttpContext context, RouteSettings settings)
    {
        if (settings.UserHeader is { } header && context.Request.Headers.TryGetValue(header, out var fromHeader) && !string.IsNullOrEmpty(fromHeader))
        {
            return fromHeader!;
        }

        if (context.Request.Cookies.TryGetValue(settings.UserCookie, out var fromCookie) && !string.IsNullOrEmpty(fromCookie))
        {
            return fromCookie;
        }

        var id = Guid.NewGuid().ToString("N");
        context.Response.Cookies.Append(settings.UserCookie, id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = TimeSpan.FromDays(365),
        });
        return id;
    }
}

/// <summary>Whether a front door is the service's main door or its preview door (always the candidate).</summary>
internal sealed record FrontDoorRole(bool Preview);
