using System.Diagnostics;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// A throw-away certificate authority made with openssl in a temp folder: issues a server certificate for 127.0.0.1 and
/// a client certificate, and lays out DOCKER_CERT_PATH folders (ca.pem, cert.pem, key.pem) as the docker CLI expects.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private readonly TempDirectory _folder;

    private TestCertificateAuthority(TempDirectory folder, string name)
    {
        _folder = folder;
        Name = name;
    }

    public string Name { get; }

    /// <summary>ca.pem of this authority.</summary>
    public string CertificateFile => Path.Combine(_folder.Path, "ca.pem");

    private string KeyFile => Path.Combine(_folder.Path, "ca-key.pem");

    /// <summary>Null when openssl is installed; else what is missing.</summary>
    public static string? Problem() => File.Exists("/usr/bin/openssl") ? null : "openssl is not installed (apt-get install openssl)";

    public static async Task<TestCertificateAuthority> CreateAsync(string name)
    {
        var folder = new TempDirectory("berth-ca");
        var authority = new TestCertificateAuthority(folder, name);
        await OpensslAsync(folder.Path, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem",
            "-days", "2", "-subj", $"/CN={name}");
        return authority;
    }

    /// <summary>Issues a certificate for <paramref name="commonName"/>; returns (certificate file, key file) in <paramref name="folder"/>.</summary>
    public async Task<(string Certificate, string Key)> IssueAsync(string folder, string fileStem, string commonName, string extensions)
    {
        var key = Path.Combine(folder, fileStem + "-key.pem");
        var request = Path.Combine(folder, fileStem + ".csr");
        var certificate = Path.Combine(folder, fileStem + ".pem");
        var extensionFile = Path.Combine(folder, fileStem + ".ext");
        await File.WriteAllTextAsync(extensionFile, extensions + "\n");
        await OpensslAsync(folder, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", $"/CN={commonName}");
        await OpensslAsync(folder, "x509", "-req", "-in", request, "-CA", CertificateFile, "-CAkey", KeyFile, "-CAcreateserial",
            "-out", certificate, "-days", "2", "-extfile", extensionFile);
        return (certificate, key);
    }

    /// <summary>A server certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1).</summary>
    public Task<(string Certificate, string Key)> IssueServerAsync(string folder) =>
        IssueAsync(folder, "server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth");

    /// <summary>
    /// Makes <paramref name="folder"/> a DOCKER_CERT_PATH: ca.pem of <paramref name="trusted"/> (this authority when null),
    /// and cert.pem/key.pem of a client certificate this authority issues.
    /// </summary>
    public async Task<string> ClientCertPathAsync(string folder, TestCertificateAuthority? trusted = null)
    {
        Directory.CreateDirectory(folder);
        var (certificate, key) = await IssueAsync(folder, "client", "berth-client", "extendedKeyUsage=clientAuth");
        File.Move(certificate, Path.Combine(folder, "cert.pem"));
        File.Move(key, Path.Combine(folder, "key.pem"));
        File.Copy((trusted ?? this).CertificateFile, Path.Combine(folder, "ca.pem"));
        return folder;
    }

    public void Dispose() => _folder.Dispose();

    private static async Task OpensslAsync(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {await error}{await output}");
        }
    }
}
