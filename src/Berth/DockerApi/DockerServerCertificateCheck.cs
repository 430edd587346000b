using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.DockerApi;

/// <summary>
/// Accepts an engine's server certificate only if it chains to a certificate of ca.pem (not to the system's roots) and
/// names the host dialled, as the docker CLI does with DOCKER_TLS_VERIFY.
/// </summary>
public static class DockerServerCertificateCheck
{
    /// <summary>Null when the certificate is acceptable; otherwise what is wrong with it, in words.</summary>
    public static string? Problem(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the engine presented no certificate";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        using var copy = certificate is X509Certificate2 ? null : new X509Certificate2(certificate);
        var subject = copy ?? (X509Certificate2)certificate;
        if (!chain.Build(subject))
        {
            var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return $"its certificate ({subject.Subject}, issued by {subject.Issuer}) is not signed by the CA in ca.pem" +
                (why.Length > 0 ? $" ({why})" : "");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"its certificate ({subject.Subject}) does not name the host dialled (add it to the certificate's subjectAltName)";
        }

        return null;
    }

    /// <summary>A validation callback for <paramref name="authorities"/>; <paramref name="rejected"/> hears why a certificate was refused.</summary>
    public static RemoteCertificateValidationCallback Callback(X509Certificate2Collection authorities, Action<string>? rejected = null) =>
        (_, certificate, _, errors) =>
        {
            var problem = Problem(certificate, errors, authorities);
            if (problem is not null)
            {
                rejected?.Invoke(problem);
            }

            return problem is null;
        };
}
