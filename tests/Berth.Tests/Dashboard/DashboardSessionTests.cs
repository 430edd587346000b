using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Api;
using Berth.Tests.Security;

namespace Berth.Tests.Dashboard;

/// <summary>
/// The dashboard's session rules over plain HTTP against a real server: what is public, sign-in, the cookie's
/// attributes and scope (the dashboard's routes only), the CSRF token on every change, roles, sign-out.
/// </summary>
public sealed class DashboardSessionTests : IClassFixture<SecuredServer>
{
    private readonly SecuredServer _server;

    public DashboardSessionTests(SecuredServer server)
    {
        _server = server;
    }

    [Fact]
    public async Task PageAndAssets_ArePublic_WithAStrictContentSecurityPolicy_AndHoldNoData()
    {
        using var anonymous = _server.ClientWith(token: null);

        using var page = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("/ui/assets/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var script = await anonymous.GetAsync("/ui/assets/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/assets/app.js");
        again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ui/assets/secrets.json")).StatusCode);

        foreach (var path in new[] { "/ui/session", "/ui/overview", "/ui/live", "/ui/api/v1/whoami", "/ui/api/v1/services" })
        {
            Assert.True((await anonymous.GetAsync(path)).StatusCode == HttpStatusCode.Unauthorized, path);
        }
    }

    [Fact]
    public async Task SignIn_GivesAnHttpOnlyStrictCookieScopedToTheDashboard_ThatTheApiIgnores()
    {
        using var anonymous = _server.ClientWith(token: null);
        var refused = await anonymous.PostAsJsonAsync("/ui/session", new { token = "berth_not_a_token" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("sign-in refused", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var router = await anonymous.PostAsJsonAsync("/ui/session", new { token = _server.TokenOf("router") });
        Assert.Equal(HttpStatusCode.Forbidden, router.StatusCode);

        var (cookie, session) = await SignInAsync(_server.TokenOf("viewer"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/ui", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("viewer", session.GetProperty("role").GetString());
        Assert.False(session.GetProperty("canDeploy").GetBoolean());
        var id = cookie.Split(';')[0];

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/ui/overview", id, csrf: null)).StatusCode);
        using var whoami = await SendAsync(HttpMethod.Get, "/ui/api/v1/whoami", id, csrf: null);
        Assert.Equal("test-viewer", (await whoami.Content.ReadFromJsonAsync<WhoAmI>(ApiJson.Options))!.Name);

        // The cookie does not open the bearer API; a bearer header does not open the dashboard's routes.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, ApiRoutes.WhoAmI, id, csrf: null)).StatusCode);
        using var admin = _server.ClientWith(_server.TokenOf("admin"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/ui/overview")).StatusCode);
    }

    [Fact]
    public async Task Changes_NeedTheSessionsCsrfToken_AndTheRole_AndSignOutEndsTheSession()
    {
        var (viewerCookie, viewer) = await SignInAsync(_server.TokenOf("viewer"));
        var viewerId = viewerCookie.Split(';')[0];
        var viewerCsrf = viewer.GetProperty("csrf").GetString()!;
        const string Scale = "/ui/api/v1/services/scale";
        var body = """{"replicas":{"nothing_here":2}}""";

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, Scale, viewerId, csrf: null, body)).StatusCode);
        using var byRole = await SendAsync(HttpMethod.Post, Scale, viewerId, viewerCsrf, body);
        Assert.Equal(HttpStatusCode.Forbidden, byRole.StatusCode);
        Assert.Contains("service.scale needs deployer or admin", await byRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (deployerCookie, deployer) = await SignInAsync(_server.TokenOf("deployer"));
        var deployerId = deployerCookie.Split(';')[0];
        using var noCsrf = await SendAsync(HttpMethod.Post, Scale, deployerId, csrf: null, body);
        Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);
        Assert.Contains("CSRF", await noCsrf.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, Scale, deployerId, viewerCsrf, body)).StatusCode);

        // With its own token the call passes access control (and names no service: 404).
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, Scale, deployerId, deployer.GetProperty("csrf").GetString(), body)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, "/ui/session", viewerId, csrf: null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, "/ui/session", viewerId, viewerCsrf)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/ui/overview", viewerId, csrf: null)).StatusCode);
    }

    private async Task<(string Cookie, JsonElement Session)> SignInAsync(string token)
    {
        using var anonymous = _server.ClientWith(token: null);
        using var response = await anonymous.PostAsJsonAsync("/ui/session", new { token });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (response.Headers.GetValues("Set-Cookie").Single(), await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string cookie, string? csrf, string? body = null)
    {
        using var client = _server.ClientWith(token: null);
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (csrf is not null)
        {
            request.Headers.Add("X-Berth-CSRF", csrf);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
