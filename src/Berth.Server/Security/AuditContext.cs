using Microsoft.AspNetCore.Http;

namespace Berth.Server.Security;

/// <summary>What an endpoint adds to its audit entry: a target the route does not show (a scale's services), or why it was refused.</summary>
public static class AuditContext
{
    private static readonly object TargetKey = new();
    private static readonly object DetailKey = new();

    /// <summary>The route values that name what a call acts on, in order of preference.</summary>
    private static readonly string[] TargetRouteValues = ["service", "stack", "id", "node", "name"];

    public static void SetTarget(HttpContext context, string target) => context.Items[TargetKey] = target;

    public static void SetDetail(HttpContext context, string detail) => context.Items[DetailKey] = detail;

    public static string? TargetOf(HttpContext context)
    {
        if (context.Items.TryGetValue(TargetKey, out var target) && target is string text)
        {
            return text;
        }

        foreach (var name in TargetRouteValues)
        {
            if (context.Request.RouteValues.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } routeValue)
            {
                return routeValue;
            }
        }

        return null;
    }

    public static string? DetailOf(HttpContext context) =>
        context.Items.TryGetValue(DetailKey, out var detail) ? detail as string : null;
}
