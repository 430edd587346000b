using Berth.Tests.Infrastructure;
using Docker.DotNet;

namespace Berth.Tests.Swarm;

/// <summary>
/// The engine behind mutual TLS, as dockerd --tlsverify serves it: a socat front on 127.0.0.1 with a server certificate
/// from a throw-away CA, relaying to the local engine's socket. Berth reads DOCKER_HOST, DOCKER_TLS_VERIFY and
/// DOCKER_CERT_PATH like the docker CLI, for the Swarm runtime and for `berth build` alike.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class EngineTlsTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new("berth-tls");
    private TlsEngine _engine = null!;

    private TestCertificateAuthority Authority => _engine.Authority;

    private EngineTlsFront Front => _engine.Front;

    public async Task InitializeAsync() => _engine = await TlsEngine.StartAsync("berth-test-engine-ca");

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _folder.Dispose();
    }

    [DockerFact]
    public async Task SwarmServer_MutualTls_StartsAndListsTheNode()
    {
        var certPath = await Authority.ClientCertPathAsync(Path.Combine(_folder.Path, "client"));

        await using var server = await BerthServerProcess.StartAsync(TlsEnvironment(certPath), "--runtime", "swarm");
        var ls = await server.CliAsync("node", "ls", "--json");

        Assert.True(ls.ExitCode == 0, ls + "\nserver:\n" + server.Output);
        Assert.Contains(await LocalNodeIdAsync(), ls.Stdout, StringComparison.Ordinal);
        Assert.Contains("accepting connection", Front.Log, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task SwarmServer_CaThatDidNotSignTheEngine_ExitsWithClearError()
    {
        using var other = await TestCertificateAuthority.CreateAsync("berth-test-other-ca");
        var certPath = await Authority.ClientCertPathAsync(Path.Combine(_folder.Path, "wrong-ca"), trusted: other);

        var run = await RunSwarmServerAsync(TlsEnvironment(certPath));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"the engine at {Front.DockerHost} (TLS) is not the one {Path.Combine(certPath, "ca.pem")} vouches for", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("not signed by the CA in ca.pem", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("DOCKER_CERT_PATH", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task SwarmServer_MissingKeyPem_ExitsNamingTheFileAndFolder()
    {
        var certPath = await Authority.ClientCertPathAsync(Path.Combine(_folder.Path, "no-key"));
        File.Delete(Path.Combine(certPath, "key.pem"));

        var run = await RunSwarmServerAsync(TlsEnvironment(certPath));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("key.pem is missing", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(certPath, "key.pem"), run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"DOCKER_CERT_PATH={certPath}", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task SwarmServer_EngineAnsweringPlainHttp_ExitsSayingItIsNotTls()
    {
        var certPath = await Authority.ClientCertPathAsync(Path.Combine(_folder.Path, "plain"));
        await using var plain = await EngineTlsFront.StartPlainAsync();

        var run = await RunSwarmServerAsync(new Dictionary<string, string>(TlsEnvironment(certPath)) { ["DOCKER_HOST"] = plain.DockerHost });

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"the engine at {plain.DockerHost} (TLS) answers plain HTTP, not TLS", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("DOCKER_TLS_VERIFY", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task SwarmServer_TlsEngineWithoutTlsSettings_SaysToSetDockerTlsVerify()
    {
        var run = await RunSwarmServerAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = Front.DockerHost, ["DOCKER_TLS_VERIFY"] = "" });

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"the engine at {Front.DockerHost} speaks TLS only: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Build_MutualTls_BuildsThroughTheSameConnection()
    {
        var certPath = await Authority.ClientCertPathAsync(Path.Combine(_folder.Path, "build"));
        using var context = new TempDirectory();
        context.File("Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n");
        context.File("hello.txt", "hello\n");
        var image = $"berth-test-tls:{Guid.NewGuid():N}"[..28];
        var compose = context.File("compose.yml", $"services:\n  web:\n    image: \"{image}\"\n    build:\n      context: .\n");
        try
        {
            var run = await CliRun.RunAsync(["build", "-c", compose], TlsEnvironment(certPath));

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("accepting connection", Front.Log, StringComparison.Ordinal);
        }
        finally
        {
            using var docker = DockerEngine.Connect();
            try
            {
                await docker.Images.DeleteImageAsync(image, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
            }
            catch (DockerApiException)
            {
            }
        }
    }

    [DockerFact]
    public async Task Build_MissingCertPem_ExitsThreeNamingTheFile()
    {
        var certPath = await Authority.ClientCertPathAsync(Path.Combine(_folder.Path, "build-no-cert"));
        File.Delete(Path.Combine(certPath, "cert.pem"));
        using var context = new TempDirectory();
        context.File("Dockerfile", "FROM scratch\n");
        var compose = context.File("compose.yml", "services:\n  web:\n    image: berth-test-tls-nocert:1\n    build:\n      context: .\n");

        var run = await CliRun.RunAsync(["build", "-c", compose], TlsEnvironment(certPath));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("cert.pem is missing", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(certPath, "cert.pem"), run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    private Dictionary<string, string> TlsEnvironment(string certPath) => new()
    {
        ["DOCKER_HOST"] = Front.DockerHost,
        ["DOCKER_TLS_VERIFY"] = "1",
        ["DOCKER_CERT_PATH"] = certPath,
    };

    private static async Task<CliRun.Result> RunSwarmServerAsync(IReadOnlyDictionary<string, string> environment)
    {
        using var data = new TempDirectory();
        return await CliRun.RunAsync(["server", "--runtime", "swarm", "--data", data.Path, "--listen", "127.0.0.1:0"], environment, timeout: TimeSpan.FromSeconds(60));
    }

    private static async Task<string> LocalNodeIdAsync()
    {
        using var docker = DockerEngine.Connect();
        var info = await docker.System.GetSystemInfoAsync();
        return info.Swarm.NodeID;
    }
}
