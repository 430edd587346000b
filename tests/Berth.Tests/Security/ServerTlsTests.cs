using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Security;

/// <summary>TLS on the API with a CA made by the test: trust, distrust, the wrong scheme either way, and non-loopback listening.</summary>
public sealed class ServerTlsTests : IAsyncLifetime
{
    private readonly TempDirectory _files = new("berth-tls");
    private TestCertificateAuthority _authority = null!;
    private TestCertificateAuthority _stranger = null!;
    private string _certificate = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        Assert.Null(TestCertificateAuthority.Problem());
        _authority = await TestCertificateAuthority.CreateAsync("Berth Test CA");
        _stranger = await TestCertificateAuthority.CreateAsync("Someone Else's CA");
        (_certificate, _key) = await _authority.IssueServerAsync(_files.Path);
    }

    public Task DisposeAsync()
    {
        _authority.Dispose();
        _stranger.Dispose();
        _files.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TlsServer_CliWithItsCa_WorksIncludingTheLocalCredential()
    {
        await using var server = await BerthServerProcess.StartAsync("--tls-cert", _certificate, "--tls-key", _key);

        var whoami = await server.CliAsync("whoami", "--tls-ca", _authority.CertificateFile);

        Assert.Equal(Uri.UriSchemeHttps, server.Address.Scheme);
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains("local-admin (admin", whoami.Stdout);
    }

    [Fact]
    public async Task TlsServer_CliWithTheCaFromTheEnvironment_Works()
    {
        await using var server = await BerthServerProcess.StartAsync("--tls-cert", _certificate, "--tls-key", _key);

        var ls = await server.CliAsync(new Dictionary<string, string> { ["BERTH_TLS_CA"] = _authority.CertificateFile }, "service", "ls");

        Assert.True(ls.ExitCode == 0, ls.ToString());
    }

    [Fact]
    public async Task TlsServer_CliWithoutItsCa_Exit3SayingHowToTrustIt()
    {
        await using var server = await BerthServerProcess.StartAsync("--tls-cert", _certificate, "--tls-key", _key);

        var ls = await server.CliAsync("service", "ls");

        Assert.Equal(3, ls.ExitCode);
        Assert.Contains("Cannot trust the Berth server", ls.Stderr);
        Assert.Contains("--tls-ca", ls.Stderr);
        Assert.DoesNotContain("   at ", ls.Stderr);
    }

    [Fact]
    public async Task TlsServer_CliWithAnotherCa_Exit3NamingTheCaFile()
    {
        await using var server = await BerthServerProcess.StartAsync("--tls-cert", _certificate, "--tls-key", _key);

        var ls = await server.CliAsync("service", "ls", "--tls-ca", _stranger.CertificateFile);

        Assert.Equal(3, ls.ExitCode);
        Assert.Contains("was not signed by the CA in " + _stranger.CertificateFile, ls.Stderr);
    }

    [Fact]
    public async Task TlsServer_CertificateForAnotherName_Exit3SayingSo()
    {
        using var folder = new TempDirectory("berth-tls-other");
        var (certificate, key) = await _authority.IssueAsync(folder.Path, "other", "berth.example.com", "subjectAltName=DNS:berth.example.com\nextendedKeyUsage=serverAuth");
        await using var server = await BerthServerProcess.StartAsync("--tls-cert", certificate, "--tls-key", key);

        var ls = await server.CliAsync("service", "ls", "--tls-ca", _authority.CertificateFile);

        Assert.Equal(3, ls.ExitCode);
        Assert.Contains("not for this host name", ls.Stderr);
    }

    [Fact]
    public async Task TlsServer_PlainHttpAddress_Exit3SayingUseHttps()
    {
        await using var server = await BerthServerProcess.StartAsync("--tls-cert", _certificate, "--tls-key", _key);
        var plain = "http://" + server.Address.Authority;

        var ls = await CliRun.RunAsync(["service", "ls", "--host", plain]);

        Assert.Equal(3, ls.ExitCode);
        Assert.Contains("use https://", ls.Stderr);
    }

    [Fact]
    public async Task PlainServer_HttpsAddress_Exit3SayingUseHttp()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var tls = "https://" + server.Address.Authority;

        var ls = await CliRun.RunAsync(["service", "ls", "--host", tls]);

        Assert.Equal(3, ls.ExitCode);
        Assert.Contains("does not answer with TLS", ls.Stderr);
        Assert.Contains("use http://", ls.Stderr);
    }

    [Fact]
    public async Task Server_NonLoopbackWithoutTls_RefusedSayingHowToGiveACertificate()
    {
        using var data = new TempDirectory("berth-data");

        var server = await CliRun.RunAsync(["server", "--data", data.Path, "--listen", "0.0.0.0:0"], timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, server.ExitCode);
        Assert.Contains("--tls-cert", server.Stderr);
        Assert.Contains("--insecure", server.Stderr);
        Assert.False(File.Exists(Path.Combine(data.Path, "berth.db")), "nothing may be written before the refusal");
    }

    [Fact]
    public async Task Server_NonLoopbackWithTls_Listens()
    {
        await using var server = await BerthServerProcess.StartAsync("--listen", "0.0.0.0:0", "--tls-cert", _certificate, "--tls-key", _key);

        Assert.Equal(Uri.UriSchemeHttps, server.Address.Scheme);
        Assert.DoesNotContain("warning", server.Output);
    }

    [Fact]
    public async Task Server_NonLoopbackInsecure_WarnsAndGivesTheLocalCredentialToLoopbackCallersOnly()
    {
        var outside = NonLoopbackAddress();
        await using var server = await BerthServerProcess.StartAsync("--listen", "0.0.0.0:0", "--insecure");
        var port = server.Address.Port;

        Assert.Contains("warning: --insecure", server.Output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var local = await http.GetFromJsonAsync<HealthInfo>($"http://127.0.0.1:{port}{ApiRoutes.Health}", ApiJson.Options);
        var remote = await http.GetFromJsonAsync<HealthInfo>($"http://{outside}:{port}{ApiRoutes.Health}", ApiJson.Options);

        Assert.Equal(Path.Combine(server.DataDirectory, "local-admin.token"), local!.LocalCredential);
        Assert.Equal("ok", remote!.Status);
        Assert.Null(remote.LocalCredential);
    }

    [Theory]
    [InlineData("not-pem", "is not a PEM certificate")]
    [InlineData("missing", "no such file")]
    [InlineData("other-key", "cannot be used together")]
    public async Task Server_BadCertificateFiles_RefusedBeforeAnythingListens(string kind, string message)
    {
        using var data = new TempDirectory("berth-data");
        using var folder = new TempDirectory("berth-tls-bad");
        var certificate = kind switch
        {
            "not-pem" => folder.File("cert.txt", "this is not a certificate\n"),
            "missing" => Path.Combine(folder.Path, "nope.pem"),
            _ => _certificate,
        };
        var key = kind == "other-key" ? (await _stranger.IssueServerAsync(folder.Path)).Key : _key;

        var server = await CliRun.RunAsync(["server", "--data", data.Path, "--listen", "127.0.0.1:0", "--tls-cert", certificate, "--tls-key", key], timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, server.ExitCode);
        Assert.Contains(message, server.Stderr);
        Assert.DoesNotContain("   at ", server.Stderr);
    }

    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this machine has no non-loopback IPv4 address to test a remote caller with");
}
