using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Security;

/// <summary>A real `berth server` with one token per role, made through the API with the local admin token.</summary>
public sealed class SecuredServer : IAsyncLifetime
{
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    internal BerthServerProcess Server { get; private set; } = null!;

    /// <summary>The token of <paramref name="role"/> (viewer, deployer, approver, admin).</summary>
    public string TokenOf(string role) => _tokens[role];

    public Uri Address => Server.Address;

    public async Task InitializeAsync()
    {
        Server = await BerthServerProcess.StartAsync();
        foreach (var role in Berth.Security.RolePermissions.Names)
        {
            _tokens[role] = (await CreateTokenAsync($"test-{role}", role)).Token;
        }
    }

    public async Task<CreatedToken> CreateTokenAsync(string name, string role, long? expiresInSeconds = null)
    {
        using var response = await Server.Http.PostAsJsonAsync(ApiRoutes.Tokens, new CreateTokenRequest(name, role, expiresInSeconds), ApiJson.Options);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedToken>(ApiJson.Options))!;
    }

    /// <summary>
    /// A client for the API with <paramref name="token"/> (none when null), connecting from its own loopback address
    /// (127.0.1.N, all of 127/8 being this machine): the failed-authentication throttle counts per address, so one
    /// test's refused calls never lock another test out.
    /// </summary>
    public HttpClient ClientWith(string? token)
    {
        var client = new HttpClient(LoopbackSource.Handler(), disposeHandler: true) { BaseAddress = Server.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
