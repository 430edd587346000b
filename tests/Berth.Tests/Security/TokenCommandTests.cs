using System.Text.Json;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Security;

/// <summary>`berth token create|ls|revoke` and what tokens allow, through the real CLI against a real server.</summary>
public sealed class TokenCommandTests
{
    [Fact]
    public async Task TokenCreate_Json_ShowsTheTokenOnceAndItWorksForItsRole()
    {
        await using var server = await BerthServerProcess.StartAsync();

        var created = await server.CliAsync("token", "create", "ci", "--role", "deployer", "--expires", "30d", "--json");

        Assert.True(created.ExitCode == 0, created.ToString());
        using var json = JsonDocument.Parse(created.Stdout);
        var token = json.RootElement.GetProperty("token").GetString()!;
        Assert.StartsWith("berth_", token, StringComparison.Ordinal);
        Assert.Equal("ci", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("deployer", json.RootElement.GetProperty("role").GetString());
        var expires = json.RootElement.GetProperty("expires").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30.1));

        var whoami = await server.CliAsync(With(token), "whoami");
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains("ci (deployer", whoami.Stdout);
        Assert.Contains("BERTH_TOKEN", whoami.Stdout);

        var listed = await server.CliAsync("token", "ls", "--json");
        Assert.Contains("\"ci\"", listed.Stdout);
        Assert.DoesNotContain(token, listed.Stdout);
        Assert.DoesNotContain(token.Split('_')[2], listed.Stdout);
    }

    [Fact]
    public async Task TokenCreate_PlainOutput_PrintsOnlyTheTokenOnStdout()
    {
        await using var server = await BerthServerProcess.StartAsync();

        var created = await server.CliAsync("token", "create", "reader", "--role", "viewer");

        Assert.Equal(0, created.ExitCode);
        Assert.Matches("^berth_[0-9a-f]{12}_[A-Za-z0-9]{40}$", created.Stdout.Trim());
        Assert.Contains("shown only now", created.Stderr);
    }

    [Fact]
    public async Task ViewerToken_Scale_Exit4NamingTheRoleAndTheCredential()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var viewer = (await server.CliAsync("token", "create", "reader", "--role", "viewer")).Stdout.Trim();

        var scale = await server.CliAsync(With(viewer), "scale", "articles_app=2");

        Assert.Equal(4, scale.ExitCode);
        Assert.Contains("permission denied", scale.Stderr);
        Assert.Contains("'reader' has the viewer role", scale.Stderr);
        Assert.Contains("deployer or admin", scale.Stderr);
        Assert.Contains("credential used: BERTH_TOKEN", scale.Stderr);
        Assert.DoesNotContain(viewer, scale.Stderr);
    }

    [Fact]
    public async Task RevokedToken_IsRefusedAtOnce()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var token = (await server.CliAsync("token", "create", "temp", "--role", "viewer")).Stdout.Trim();
        Assert.Equal(0, (await server.CliAsync(With(token), "service", "ls")).ExitCode);

        var revoke = await server.CliAsync("token", "revoke", "temp");
        var after = await server.CliAsync(With(token), "service", "ls");

        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.Equal(4, after.ExitCode);
        Assert.Contains("'temp' was revoked", after.Stderr);
        Assert.Contains("revoked", (await server.CliAsync("token", "ls", "--all", "--json")).Stdout);
    }

    [Fact]
    public async Task ExpiredToken_IsRefusedSayingSo()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var token = (await server.CliAsync("token", "create", "brief", "--role", "viewer", "--expires", "1s")).Stdout.Trim();

        CliRun.Result? last = null;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            last = await server.CliAsync(With(token), "service", "ls");
            if (last.ExitCode != 0)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(4, last!.ExitCode);
        Assert.Contains("'brief' expired at", last.Stderr);
    }

    [Theory]
    [InlineData("not-a-token", "malformed")]
    [InlineData("berth_zz_abc", "malformed")]
    [InlineData("berth_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not valid for this server")]
    public async Task BadToken_Exit4WithAClearReasonAndNothingChanged(string token, string reason)
    {
        await using var server = await BerthServerProcess.StartAsync();

        var result = await server.CliAsync(With(token), "rm", "articles");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains(reason, result.Stderr);
        Assert.Contains("berth token create", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task TokenOfAnotherServer_IsRefused()
    {
        await using var first = await BerthServerProcess.StartAsync();
        await using var second = await BerthServerProcess.StartAsync();
        var fromFirst = (await first.CliAsync("token", "create", "ci", "--role", "admin")).Stdout.Trim();

        var result = await second.CliAsync(With(fromFirst), "service", "ls");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("not valid for this server", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "token", "create", "ci", "--role", "root" }, "--role")]
    [InlineData(new[] { "token", "create", "Bad Name", "--role", "viewer" }, "not valid")]
    [InlineData(new[] { "token", "create", "ci" }, "--role is required")]
    [InlineData(new[] { "token", "create", "ci", "--role", "viewer", "--expires", "soon" }, "--expires")]
    public async Task TokenCreate_BadArguments_Exit2BeforeAnythingIsSent(string[] args, string message)
    {
        await using var server = await BerthServerProcess.StartAsync();

        var result = await server.CliAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr + result.Stdout);
        Assert.DoesNotContain("\"ci\"", (await server.CliAsync("token", "ls", "--json")).Stdout);
    }

    [Fact]
    public async Task TokenCreate_ExistingNameOrReservedName_RefusedAndKept()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var first = (await server.CliAsync("token", "create", "ci", "--role", "viewer")).Stdout.Trim();

        var again = await server.CliAsync("token", "create", "ci", "--role", "admin");
        var reserved = await server.CliAsync("token", "create", "local-admin", "--role", "admin");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists", again.Stderr);
        Assert.Equal(1, reserved.ExitCode);
        Assert.Contains("local token", reserved.Stderr);
        Assert.Contains("ci (viewer", (await server.CliAsync(With(first), "whoami")).Stdout);
    }

    private static Dictionary<string, string> With(string token) => new() { ["BERTH_TOKEN"] = token };
}
