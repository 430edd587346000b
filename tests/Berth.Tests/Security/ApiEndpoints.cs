using System.Net;
using Berth.Security;
using Berth.Server;
using Berth.Server.Security;
using Berth.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Berth.Tests.Security;

/// <summary>The server's endpoint table, read from the real app (built, not started): what the access tests walk.</summary>
internal static class ApiEndpoints
{
    public sealed record Endpoint(string Method, string Pattern, EndpointAccess? Access)
    {
        /// <summary>The path with every route parameter filled in ("x"), for calling it.</summary>
        public string SamplePath => System.Text.RegularExpressions.Regex.Replace(Pattern, "{[^}]+}", "x");

        public override string ToString() => $"{Method} {Pattern}";
    }

    /// <summary>The bearer-token API: every endpoint but the web dashboard's (its page, assets and /ui/ routes, which take its session cookie).</summary>
    public static IReadOnlyList<Endpoint> Api() => All().Where(e => !IsDashboard(e)).ToList();

    public static bool IsDashboard(Endpoint endpoint) => endpoint.Pattern == "/" || endpoint.Pattern.StartsWith("/ui/", StringComparison.Ordinal);

    public static IReadOnlyList<Endpoint> All()
    {
        using var data = new TempDirectory("berth-endpoints");
        var app = BerthServer.Build(new BerthServerOptions { DataDirectory = data.Path }, data.Path, new IPEndPoint(IPAddress.Loopback, 0), certificate: null);
        try
        {
            return ((IEndpointRouteBuilder)app).DataSources
                .SelectMany(source => source.Endpoints)
                .OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                    .Select(method => new Endpoint(method, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<EndpointAccess>())))
                .OrderBy(e => e.Pattern, StringComparer.Ordinal)
                .ThenBy(e => e.Method, StringComparer.Ordinal)
                .ToList();
        }
        finally
        {
            ((IAsyncDisposable)app).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The role × endpoint table of docs/security.md, generated from the endpoints' access rules.</summary>
    public static string MarkdownTable(IEnumerable<Endpoint> endpoints)
    {
        var roles = Enum.GetValues<BerthRole>();
        var lines = new List<string>
        {
            "| method | path | audit action | " + string.Join(" | ", roles.Select(RolePermissions.Name)) + " |",
            "|---|---|---|" + string.Concat(roles.Select(_ => "---|")),
        };
        foreach (var endpoint in endpoints)
        {
            var cells = roles.Select(role => endpoint.Access?.Permission is not { } permission ? "no token" : RolePermissions.Allows(role, permission) ? "yes" : "—");
            lines.Add($"| {endpoint.Method} | `{endpoint.Pattern}` | {endpoint.Access?.Action} | {string.Join(" | ", cells)} |");
        }

        return string.Join('\n', lines);
    }
}
