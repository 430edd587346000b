using Microsoft.AspNetCore.Http;

namespace Berth.Server.Dashboard;

/// <summary>Marks a request that came in through the dashboard's routes: only those are authenticated by the session cookie.</summary>
public static class DashboardRequest
{
    private static readonly object Key = new();

    public static void Mark(HttpContext context) => context.Items[Key] = true;

    public static bool Is(HttpContext context) => context.Items.ContainsKey(Key);
}
