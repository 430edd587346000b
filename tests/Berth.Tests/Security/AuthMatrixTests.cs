using System.Net;
using Berth.Security;

namespace Berth.Tests.Security;

/// <summary>
/// Every endpoint of the server's table × no token / a role without the permission / the least role with it,
/// against a real server: 401, 403, and past access control. A new endpoint is in this matrix without a new test.
/// </summary>
public sealed class AuthMatrixTests : IClassFixture<SecuredServer>
{
    private readonly SecuredServer _server;

    public AuthMatrixTests(SecuredServer server)
    {
        _server = server;
    }

    public static TheoryData<string, string> Endpoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in ApiEndpoints.Api())
        {
            data.Add(endpoint.Method, endpoint.Pattern);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithoutToken_IsRefusedUnlessPublic(string method, string pattern)
    {
        var endpoint = Find(method, pattern);
        using var anonymous = _server.ClientWith(token: null);

        var status = await CallAsync(anonymous, endpoint);

        if (endpoint.Access!.Permission is null)
        {
            Assert.Equal(HttpStatusCode.OK, status);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithARoleLackingThePermission_Is403(string method, string pattern)
    {
        var endpoint = Find(method, pattern);
        var lacking = Enum.GetValues<BerthRole>().Where(r => endpoint.Access!.Permission is { } p && !RolePermissions.Allows(r, p)).ToList();

        foreach (var role in lacking)
        {
            using var client = _server.ClientWith(_server.TokenOf(RolePermissions.Name(role)));
            Assert.True(await CallAsync(client, endpoint) == HttpStatusCode.Forbidden, $"{endpoint} with a {RolePermissions.Name(role)} token");
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithEveryRoleHoldingThePermission_PassesAccessControl(string method, string pattern)
    {
        var endpoint = Find(method, pattern);
        var allowed = Enum.GetValues<BerthRole>().Where(r => endpoint.Access!.Permission is not { } p || RolePermissions.Allows(r, p)).ToList();

        Assert.NotEmpty(allowed);
        foreach (var role in allowed)
        {
            using var client = _server.ClientWith(_server.TokenOf(RolePermissions.Name(role)));
            var status = await CallAsync(client, endpoint);

            // Past access control the call may still be bad input or name nothing ("x"), but never 401/403 or a crash.
            Assert.True(
                status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500,
                $"{endpoint} with a {RolePermissions.Name(role)} token answered {(int)status}");
        }
    }

    [Fact]
    public async Task UnknownPath_NeedsATokenBeforeItIsLookedUp()
    {
        using var anonymous = _server.ClientWith(token: null);
        using var viewer = _server.ClientWith(_server.TokenOf("viewer"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/v1/nothing-here")).StatusCode);
    }

    private static ApiEndpoints.Endpoint Find(string method, string pattern) =>
        ApiEndpoints.All().Single(e => e.Method == method && e.Pattern == pattern);

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, ApiEndpoints.Endpoint endpoint)
    {
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.SamplePath);
        // Headers only: a streaming endpoint (a router's route stream) answers its status at once, then streams.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
