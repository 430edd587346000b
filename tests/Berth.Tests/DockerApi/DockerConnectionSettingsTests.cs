using Berth.DockerApi;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.DockerApi;

/// <summary>DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH read as the docker CLI reads them; bad values said plainly.</summary>
public sealed class DockerConnectionSettingsTests
{
    [Fact]
    public void FromEnvironment_Nothing_LocalSocketWithoutTls()
    {
        var settings = DockerConnectionSettings.FromEnvironment(new Dictionary<string, string>());

        Assert.Equal("unix:///var/run/docker.sock", settings.Describe());
        Assert.False(settings.UsesTls);
        Assert.EndsWith(".docker", settings.CertPath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", "tcp://10.0.0.5:2376/")]
    [InlineData("", "tcp://10.0.0.5:2375/")]
    [InlineData("0", "tcp://10.0.0.5:2375/")]
    public void FromEnvironment_TcpWithoutPort_DockersDefaultPortForTlsOrNot(string tlsVerify, string expected)
    {
        var settings = DockerConnectionSettings.FromEnvironment(new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = "tcp://10.0.0.5",
            ["DOCKER_TLS_VERIFY"] = tlsVerify,
        });

        Assert.Equal(expected, settings.Endpoint.ToString());
        Assert.Equal(tlsVerify == "1", settings.UsesTls);
    }

    [Fact]
    public void FromEnvironment_TlsWithCertPath_FilesFromThatFolder()
    {
        var settings = DockerConnectionSettings.FromEnvironment(new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = "tcp://127.0.0.1:2376",
            ["DOCKER_TLS_VERIFY"] = "1",
            ["DOCKER_CERT_PATH"] = "/etc/berth/docker",
        });

        Assert.Equal("tcp://127.0.0.1:2376 (TLS)", settings.Describe());
        Assert.Equal("/etc/berth/docker/ca.pem", settings.CaFile);
        Assert.Equal("/etc/berth/docker/cert.pem", settings.CertFile);
        Assert.Equal("/etc/berth/docker/key.pem", settings.KeyFile);
    }

    [Fact]
    public void FromEnvironment_TlsOnUnixSocket_NotUsed()
    {
        var settings = DockerConnectionSettings.FromEnvironment(new Dictionary<string, string> { ["DOCKER_TLS_VERIFY"] = "1" });

        Assert.True(settings.TlsVerify);
        Assert.False(settings.UsesTls);
    }

    [Theory]
    [InlineData("ssh://admin@manager", "ssh -NL")]
    [InlineData("npipe:////./pipe/docker_engine", "scheme 'npipe'")]
    [InlineData("not a uri", "is not a URI")]
    public void Create_EndpointBerthCannotReach_ClearError(string endpoint, string expected)
    {
        var error = Assert.Throws<DockerConnectionException>(() => DockerConnectionSettings.Create(endpoint, tlsVerify: false, "/tmp"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCertificates_NoneThere_NamesEveryMissingFileAndTheFolder()
    {
        using var folder = new TempDirectory();
        var settings = DockerConnectionSettings.Create("tcp://127.0.0.1:2376", tlsVerify: true, folder.Path);

        var error = Assert.Throws<DockerConnectionException>(() => DockerTlsCertificates.Load(settings));

        Assert.Contains("ca.pem, cert.pem, key.pem are missing", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder.Path, "key.pem"), error.Message, StringComparison.Ordinal);
        Assert.Contains($"DOCKER_CERT_PATH={folder.Path}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCertificates_NotPem_SaysWhichFileAndWhatItShouldHold()
    {
        using var folder = new TempDirectory();
        folder.File("ca.pem", "not a certificate");
        folder.File("cert.pem", "not a certificate");
        folder.File("key.pem", "not a key");
        var settings = DockerConnectionSettings.Create("tcp://127.0.0.1:2376", tlsVerify: true, folder.Path);

        var error = Assert.Throws<DockerConnectionException>(() => DockerTlsCertificates.Load(settings));

        Assert.Contains(Path.Combine(folder.Path, "ca.pem"), error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read as a PEM certificate", error.Message, StringComparison.Ordinal);
    }
}
