using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Security;

/// <summary>Every mutating verb and every refused attempt lands in the audit log with who, what, target, result and where from.</summary>
public sealed class AuditEndToEndTests
{
    [Fact]
    public async Task MutatingVerbs_AndRefusals_AreAudited()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var deployer = (await server.CliAsync("token", "create", "ci", "--role", "deployer")).Stdout.Trim();
        var viewer = (await server.CliAsync("token", "create", "reader", "--role", "viewer")).Stdout.Trim();
        var file = dir.File("docker-compose.yml", """
            services:
              job:
                deploy:
                  replicas: 1
                stop_grace_period: 1s
                x-berth:
                  process:
                    command: "sleep 300"
            """);
        var asDeployer = new Dictionary<string, string> { ["BERTH_TOKEN"] = deployer };
        var asViewer = new Dictionary<string, string> { ["BERTH_TOKEN"] = viewer };

        Assert.Equal(0, (await server.CliAsync(asDeployer, "deploy", "-c", file, "audited")).ExitCode);
        Assert.Equal(0, (await server.CliAsync(asDeployer, "scale", "audited_job=2")).ExitCode);
        Assert.NotEqual(0, (await server.CliAsync(asDeployer, "rollback", "audited_job", "--to", "9")).ExitCode);
        Assert.NotEqual(0, (await server.CliAsync(asDeployer, "promote", "audited_job")).ExitCode);
        Assert.NotEqual(0, (await server.CliAsync(asDeployer, "abort", "audited_job")).ExitCode);
        Assert.NotEqual(0, (await server.CliAsync(asDeployer, "rollout", "pause", "audited_job")).ExitCode);
        var replica = (await server.WaitForReplicasAsync("audited", r => r.Count(x => x.State == "running") == 2, TimeSpan.FromSeconds(30), "2 running"))[0].Id;
        Assert.Equal(0, (await server.CliAsync(asDeployer, "replica", "kill", replica)).ExitCode);
        Assert.Equal(4, (await server.CliAsync(asViewer, "scale", "audited_job=3")).ExitCode);
        Assert.Equal(4, (await server.CliAsync(asDeployer, "token", "create", "sneaky", "--role", "admin")).ExitCode);
        Assert.Equal(0, (await server.CliAsync("token", "create", "temp", "--role", "viewer")).ExitCode);
        Assert.Equal(0, (await server.CliAsync("token", "revoke", "temp")).ExitCode);
        await server.CliAsync("node", "drain", "nowhere");
        Assert.Equal(0, (await server.CliAsync(asDeployer, "rm", "audited")).ExitCode);

        var audit = await server.CliAsync("audit", "--since", "1h", "--json");

        Assert.True(audit.ExitCode == 0, audit.ToString());
        var entries = JsonSerializer.Deserialize<List<AuditEntryInfo>>(audit.Stdout, ApiJson.Options)!;
        AssertEntry(entries, "stack.deploy", "ci", "audited", "ok");
        AssertEntry(entries, "service.scale", "ci", "audited_job=2", "ok");
        AssertEntry(entries, "service.rollback", "ci", "audited_job", "refused");
        AssertEntry(entries, "service.promote", "ci", "audited_job", "refused");
        AssertEntry(entries, "service.abort", "ci", "audited_job", "refused");
        AssertEntry(entries, "rollout.pause", "ci", "audited_job", "refused");
        AssertEntry(entries, "replica.kill", "ci", replica, "ok");
        // A refused call's body is never read, so an endpoint whose target is in the body is audited without one.
        AssertEntry(entries, "service.scale", "reader", null, "denied");
        AssertEntry(entries, "token.create", "ci", null, "denied");
        AssertEntry(entries, "token.create", "local-admin", "temp", "ok");
        AssertEntry(entries, "token.revoke", "local-admin", "temp", "ok");
        Assert.Contains(entries, e => e.Action == "node.drain" && e.Who == "local-admin" && e.Target == "nowhere");
        AssertEntry(entries, "stack.rm", "ci", "audited", "ok");
        Assert.All(entries, e =>
        {
            Assert.Equal("127.0.0.1", e.From);
            Assert.InRange(e.At, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
        });
        Assert.DoesNotContain(entries, e => e.Action.StartsWith("service.ls", StringComparison.Ordinal) || e.Action == "whoami");

        var text = await server.CliAsync("audit");
        Assert.Contains("reader (viewer)", text.Stdout);
        Assert.Contains("denied (403)", text.Stdout);
        Assert.Equal(4, (await server.CliAsync(asDeployer, "audit")).ExitCode);
    }

    private static void AssertEntry(List<AuditEntryInfo> entries, string action, string who, string? target, string result) =>
        Assert.True(
            entries.Any(e => e.Action == action && e.Who == who && e.Target == target && e.Result == result),
            $"no audit entry {action} by {who} on {target} with result {result}; entries:\n" +
            string.Join('\n', entries.Select(e => $"  {e.Action} {e.Who} {e.Target} {e.Result} {e.Status} {e.Detail}")));
}
