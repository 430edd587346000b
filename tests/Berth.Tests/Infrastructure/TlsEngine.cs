namespace Berth.Tests.Infrastructure;

/// <summary>
/// This machine's engine behind mutual TLS, as dockerd --tlsverify serves it: a throw-away CA, a server certificate it
/// signed, and a socat front on 127.0.0.1 relaying to the engine's socket. Gone on dispose.
/// </summary>
internal sealed class TlsEngine : IAsyncDisposable
{
    private readonly TempDirectory _folder;

    private TlsEngine(TempDirectory folder, TestCertificateAuthority authority, EngineTlsFront front) =>
        (_folder, Authority, Front) = (folder, authority, front);

    public TestCertificateAuthority Authority { get; }

    public EngineTlsFront Front { get; }

    /// <exception cref="InvalidOperationException">openssl or socat is missing (the message says which and how to install it).</exception>
    public static async Task<TlsEngine> StartAsync(string caName)
    {
        if ((TestCertificateAuthority.Problem() ?? EngineTlsFront.Problem()) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var folder = new TempDirectory("berth-tls-engine");
        var authority = await TestCertificateAuthority.CreateAsync(caName);
        var (certificate, key) = await authority.IssueServerAsync(folder.Path);
        return new TlsEngine(folder, authority, await EngineTlsFront.StartTlsAsync(certificate, key, authority.CertificateFile));
    }

    public async ValueTask DisposeAsync()
    {
        await Front.DisposeAsync();
        Authority.Dispose();
        _folder.Dispose();
    }
}
