using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Server.Security;

/// <summary>Loads the server's TLS certificate and key (PEM files, as `berth server --tls-cert F --tls-key F` gives them).</summary>
public static class ServerCertificate
{
    /// <summary>The certificate with its private key, or null with a message naming the file and what is wrong.</summary>
    public static X509Certificate2? TryLoad(string certificatePath, string keyPath, out string? problem)
    {
        problem = MissingFile("--tls-cert", certificatePath) ?? MissingFile("--tls-key", keyPath);
        if (problem is not null)
        {
            return null;
        }

        if (!LooksLikePem(certificatePath, "CERTIFICATE"))
        {
            problem = $"--tls-cert {certificatePath} is not a PEM certificate (a text file with '-----BEGIN CERTIFICATE-----')";
            return null;
        }

        if (!LooksLikePem(keyPath, "PRIVATE KEY"))
        {
            problem = $"--tls-key {keyPath} is not a PEM private key (a text file with '-----BEGIN PRIVATE KEY-----', or RSA/EC PRIVATE KEY)";
            return null;
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

            // Kestrel needs the key in a form the TLS stack can use on every platform: round-trip through PKCS#12.
            var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            if (certificate.NotAfter < DateTime.Now)
            {
                problem = $"--tls-cert {certificatePath} expired on {certificate.NotAfter:u}";
                certificate.Dispose();
                return null;
            }

            return certificate;
        }
        catch (CryptographicException exception)
        {
            problem = $"--tls-cert {certificatePath} and --tls-key {keyPath} cannot be used together: {exception.Message.TrimEnd('.')} (is the key the certificate's?)";
            return null;
        }
    }

    private static string? MissingFile(string option, string path) =>
        File.Exists(path) ? null : $"{option} {path}: no such file";

    private static bool LooksLikePem(string path, string label)
    {
        var text = File.ReadAllText(path);
        return text.Contains("-----BEGIN ", StringComparison.Ordinal) && text.Contains(label + "-----", StringComparison.Ordinal);
    }
}
