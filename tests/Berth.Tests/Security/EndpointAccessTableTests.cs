using Berth.Tests.Infrastructure;

namespace Berth.Tests.Security;

/// <summary>Every endpoint declares its access rule, and docs/security.md shows exactly the rules the server enforces.</summary>
public sealed class EndpointAccessTableTests
{
    private const string Start = "<!-- endpoint-table:start -->";
    private const string End = "<!-- endpoint-table:end -->";

    [Fact]
    public void EveryEndpoint_DeclaresAnAccessRule()
    {
        var endpoints = ApiEndpoints.All();

        Assert.True(endpoints.Count > 20, $"only {endpoints.Count} endpoints found: the enumeration is broken");
        var open = endpoints.Where(e => e.Access is null).Select(e => e.ToString()).ToList();
        Assert.True(open.Count == 0, "endpoints without an access rule (add .Requires(permission, action)): " + string.Join(", ", open));
    }

    [Fact]
    public void OnlyTheLivenessProbe_AndTheDashboardsPageAssetsAndSession_ArePublic()
    {
        var publicEndpoints = ApiEndpoints.All().Where(e => e.Access is { Permission: null }).Select(e => e.ToString()).ToList();

        // The dashboard's page and assets hold no data; signing in checks the token itself; signing out ends the session the cookie names.
        Assert.Equal(["GET /", "GET /healthz", "GET /ui/assets/{name}", "DELETE /ui/session", "POST /ui/session"], publicEndpoints);
    }

    [Fact]
    public void EveryChange_NeedsMoreThanViewer()
    {
        var changesViewersMayMake = ApiEndpoints.All()
            .Where(e => e.Method != "GET" && e.Access?.Permission == Berth.Security.BerthPermission.Read)
            .Select(e => e.ToString())
            .ToList();

        Assert.Empty(changesViewersMayMake);
    }

    [Fact]
    public void AuditActions_AreUniquePerEndpoint()
    {
        var duplicates = ApiEndpoints.All().GroupBy(e => e.Access?.Action).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g)}").ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void SecurityDoc_ShowsTheEnforcedTable()
    {
        var expected = ApiEndpoints.MarkdownTable(ApiEndpoints.All());
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "security.md"));
        var start = doc.IndexOf(Start, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/security.md has no {Start} … {End} block");

        var actual = doc[(start + Start.Length)..end].Trim().ReplaceLineEndings("\n");
        Assert.True(actual == expected, "docs/security.md's endpoint table differs from what the server enforces; replace it with:\n" + expected);
    }
}
