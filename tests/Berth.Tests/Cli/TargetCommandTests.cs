using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Berth.Tests.Cli;

/// <summary>
/// `berth target add|rm|ls` and the TARGET column of `berth node ls` against a fake server: what is refused before
/// anything is sent (exit 2), the PEM texts the CLI reads and sends, and what it prints.
/// </summary>
public sealed class TargetCommandTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    [Fact]
    public async Task TargetAdd_NoDockerHost_ExitsTwoWithoutCallingTheServer()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "target", "add", "prod-east");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--docker-host URL is required", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task TargetAdd_OnlyTheCa_ExitsTwoNamingTheThreeFlags()
    {
        await using var api = await FakeBerthApi.StartAsync();
        using var dir = new TempDirectory();

        var run = await CliRun.RunAsync(api, "target", "add", "prod-east", "--docker-host", "tcp://10.0.0.5:2376", "--docker-tls-ca", dir.File("ca.pem", Pem));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--docker-tls-ca, --docker-tls-cert and --docker-tls-key go together", run.Error, StringComparison.Ordinal);
        Assert.Contains("(missing: --docker-tls-cert, --docker-tls-key)", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task TargetAdd_CertPathAndTlsFiles_ExitsTwo()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(
            api, "target", "add", "prod-east", "--docker-host", "tcp://10.0.0.5:2376", "--docker-cert-path", "certs", "--docker-tls-ca", "ca.pem");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--docker-cert-path DIR stands for DIR/ca.pem, DIR/cert.pem and DIR/key.pem", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("prod east", "tcp://10.0.0.5:2376", "NAME: invalid target name \"prod east\"")]
    [InlineData("prod-east", "10.0.0.5:2376", "--docker-host: '10.0.0.5:2376' is not an Engine API address")]
    public async Task TargetAdd_BadNameOrAddress_ExitsTwoNamingIt(string name, string host, string message)
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "target", "add", name, "--docker-host", host);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task TargetAdd_UnixSocketWithTls_ExitsTwo()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "target", "add", "here", "--docker-host", "unix:///var/run/docker.sock", "--docker-cert-path", "certs");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("a unix socket takes no TLS", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task TargetAdd_UnreadableTlsFile_ExitsTwoNamingTheFile()
    {
        await using var api = await FakeBerthApi.StartAsync();
        using var dir = new TempDirectory();
        dir.File("ca.pem", Pem);
        dir.File("cert.pem", Pem);
        var key = Path.Combine(dir.Path, "key.pem");

        var run = await CliRun.RunAsync(api, "target", "add", "prod-east", "--docker-host", "tcp://10.0.0.5:2376", "--docker-cert-path", dir.Path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--docker-cert-path: cannot read {key}", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task TargetAdd_NotPem_ExitsTwoNamingTheFile()
    {
        await using var api = await FakeBerthApi.StartAsync();
        using var dir = new TempDirectory();
        var key = dir.File("key.txt", "not a key");

        var run = await CliRun.RunAsync(
            api, "target", "add", "prod-east", "--docker-host", "tcp://10.0.0.5:2376",
            "--docker-tls-ca", dir.File("ca.pem", Pem), "--docker-tls-cert", dir.File("cert.pem", Pem), "--docker-tls-key", key);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--docker-tls-key: {key} is not a PEM file", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task TargetAdd_CertPath_SendsThePemTextsAndConfirms()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Targets, () => new TargetInfo("prod-east", "docker", "Docker Swarm", "tcp://10.0.0.5:2376", Tls: true));
        using var dir = new TempDirectory();
        dir.File("ca.pem", Pem.Replace("MIIB", "CA", StringComparison.Ordinal));
        dir.File("cert.pem", Pem.Replace("MIIB", "CERT", StringComparison.Ordinal));
        dir.File("key.pem", "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n");

        var run = await CliRun.RunAsync(api, "target", "add", "prod-east", "--docker-host", "tcp://10.0.0.5:2376", "--docker-cert-path", dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Target prod-east added: Docker Swarm at tcp://10.0.0.5:2376 (mutual TLS).", run.Out, StringComparison.Ordinal);
        var sent = JsonSerializer.Deserialize<TargetAddRequest>(Assert.Single(api.Requests).Body, ApiJson.Options)!;
        Assert.Equal(("prod-east", "tcp://10.0.0.5:2376"), (sent.Name, sent.DockerHost));
        Assert.Contains("CA", sent.TlsCa, StringComparison.Ordinal);
        Assert.Contains("CERT", sent.TlsCert, StringComparison.Ordinal);
        Assert.Contains("KEY", sent.TlsKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetAdd_Json_PrintsTheTargetInfo()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Targets, () => new TargetInfo("lab", "docker", "Docker Swarm", "tcp://10.0.0.9:2375"));

        var run = await CliRun.RunAsync(api, "target", "add", "lab", "--docker-host", "tcp://10.0.0.9:2375", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var target = JsonSerializer.Deserialize<TargetInfo>(run.Out, ApiJson.Options)!;
        Assert.Equal(("lab", "tcp://10.0.0.9:2375", false), (target.Name, target.Endpoint, target.Tls));
        Assert.Null(JsonSerializer.Deserialize<TargetAddRequest>(Assert.Single(api.Requests).Body, ApiJson.Options)!.TlsCa);
    }

    [Fact]
    public async Task TargetAdd_EngineDoesNotAnswer_ExitsTwoWithTheServersReason()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("POST", ApiRoutes.Targets, 400, "invalid target", "no Docker engine answers at tcp://10.0.0.9:2375");

        var run = await CliRun.RunAsync(api, "target", "add", "lab", "--docker-host", "tcp://10.0.0.9:2375");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: invalid target", run.Error, StringComparison.Ordinal);
        Assert.Contains("no Docker engine answers at tcp://10.0.0.9:2375", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetRm_Known_SendsDeleteAndConfirms()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("DELETE", ApiRoutes.Targets + "/prod-east", context =>
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });

        var run = await CliRun.RunAsync(api, "target", "remove", "prod-east");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("DELETE", Assert.Single(api.Requests).Method);
        Assert.Contains("Target prod-east removed.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetRm_ServicesStillRun_ExitsOne()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("DELETE", ApiRoutes.Targets + "/prod-east", 409, "services still run on target prod-east: shop-prod_web");

        var run = await CliRun.RunAsync(api, "target", "rm", "prod-east");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: services still run on target prod-east", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetLs_Table_ShowsEachEndpoint()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Targets, () => new[]
        {
            new TargetInfo("local", "process", "the server's own runtime"),
            new TargetInfo("prod-east", "docker", "Docker Swarm", "tcp://10.0.0.5:2376", Tls: true),
        });

        var run = await CliRun.RunAsync(api, "target", "ls");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "KIND", "ENDPOINT", "DESCRIPTION"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["local", "process", "-"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        Assert.Equal(["prod-east", "docker", "tcp://10.0.0.5:2376"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
    }

    [Fact]
    public async Task NodeLs_NodesOfOtherTargets_AddsATargetColumn()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Nodes, () => new[]
        {
            new NodeInfo("n1", "box", "manager", "active", "ready", 3),
            new NodeInfo("n2", "east-1", "manager", "active", "ready", 2, Target: "prod-east"),
        });

        var run = await CliRun.RunAsync(api, "node", "ls");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("TARGET", lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("local", lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("prod-east", lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task NodeLs_OnlyTheServersOwnNodes_NoTargetColumn()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Nodes, () => new[] { new NodeInfo("n1", "box", "manager", "active", "ready", 3) });

        var run = await CliRun.RunAsync(api, "node", "ls");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["ID", "HOSTNAME", "ROLE", "AVAILABILITY", "STATE", "REPLICAS"], run.Out.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
