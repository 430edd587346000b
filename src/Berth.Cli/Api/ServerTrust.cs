using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Cli.Api;

/// <summary>
/// Verifies the server's certificate against one CA (--tls-ca) instead of the system's: the chain must end at that
/// CA and the name must match the host. Remembers why it refused, so the error can say it.
/// </summary>
public sealed class ServerTrust
{
    private readonly X509Certificate2Collection _authorities;

    private ServerTrust(string caFile, X509Certificate2Collection authorities)
    {
        CaFile = caFile;
        _authorities = authorities;
    }

    public string CaFile { get; }

    /// <summary>Why the last certificate was refused, or null.</summary>
    public string? LastRefusal { get; private set; }

    public static ServerTrust FromCaFile(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (CryptographicException exception)
        {
            throw new CliInputException($"TLS CA file {caFile} is not a PEM certificate: {exception.Message}");
        }

        return authorities.Count == 0
            ? throw new CliInputException($"TLS CA file {caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
            : new ServerTrust(caFile, authorities);
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            LastRefusal = "the server sent no certificate";
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            LastRefusal = $"its certificate ({certificate.Subject}) is not for this host name";
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (custom.Build(leaf))
        {
            LastRefusal = null;
            return true;
        }

        var status = string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        LastRefusal = $"its certificate ({certificate.Subject}, issued by {certificate.Issuer}) was not signed by the CA in {CaFile}" +
            (status.Length > 0 ? $" ({status})" : "");
        return false;
    }
}
