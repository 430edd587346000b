using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Api;

namespace Berth.Tests.Security;

/// <summary>Repeated bad tokens from one address against a real server: 429 with Retry-After, audited once; others unaffected.</summary>
public sealed class ThrottleEndToEndTests : IClassFixture<SecuredServer>
{
    private const string WrongToken = "berth_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private readonly SecuredServer _server;

    public ThrottleEndToEndTests(SecuredServer server)
    {
        _server = server;
    }

    [Fact]
    public async Task BadTokens_TenFromOneAddress_ThenRefused429WithRetryAfter()
    {
        var attacker = LoopbackSource.NextAddress();
        using var client = new HttpClient(LoopbackSource.Handler(attacker)) { BaseAddress = _server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WrongToken);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ApiRoutes.Stacks)).StatusCode);
        }

        using var refused = await client.GetAsync(ApiRoutes.Stacks);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Contains("too many failed authentications", (await refused.Content.ReadFromJsonAsync<ErrorResponse>(ApiJson.Options))!.Error);

        // Even a valid token from that address waits: a lockout that let good guesses through would not stop guessing.
        using var sameAddressGoodToken = new HttpClient(LoopbackSource.Handler(attacker)) { BaseAddress = _server.Address };
        sameAddressGoodToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _server.TokenOf("viewer"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sameAddressGoodToken.GetAsync(ApiRoutes.Stacks)).StatusCode);

        // The liveness probe and other addresses are not affected.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ApiRoutes.Health)).StatusCode);
        using var other = _server.ClientWith(_server.TokenOf("viewer"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(ApiRoutes.Stacks)).StatusCode);

        var audit = await _server.Server.Http.GetFromJsonAsync<List<AuditEntryInfo>>(ApiRoutes.Audit, ApiJson.Options);
        Assert.Single(audit!, e => e.Action == "auth.lockout" && e.From == attacker.ToString());
        Assert.Equal(10, audit!.Count(e => e.Result == "unauthenticated" && e.From == attacker.ToString()));
        Assert.DoesNotContain(audit!, e => e.Result == "throttled" && e.Action != "auth.lockout");
    }

    [Fact]
    public async Task ReadsWithoutAnyToken_AreNotCountedAsFailures()
    {
        using var anonymous = _server.ClientWith(token: null);

        for (var i = 0; i < 15; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(ApiRoutes.Stacks)).StatusCode);
        }
    }

    [Fact]
    public async Task ChangesWithoutAnyToken_AreCounted()
    {
        using var anonymous = _server.ClientWith(token: null);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync(ApiRoutes.Stack("articles"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.DeleteAsync(ApiRoutes.Stack("articles"))).StatusCode);
    }
}
