using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Docker.DotNet;

namespace Berth.DockerApi;

/// <summary>
/// Turns a failed first call to the engine into one sentence that names the endpoint and what to fix: nothing listening,
/// a server certificate ca.pem does not vouch for, a plain-HTTP engine where TLS was asked for (or the reverse).
/// The TLS cases are told apart by a handshake of its own (the HTTP client only says "the SSL connection failed").
/// </summary>
public static class DockerConnectionDiagnosis
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The sentence for <paramref name="failure"/>; <paramref name="remedy"/> ends the "no engine answers" case.</summary>
    public static async Task<string> ExplainAsync(
        DockerConnectionSettings settings, Exception failure, CancellationToken cancellationToken, string? remedy = null)
    {
        remedy ??= "start dockerd (scripts/start-docker.sh) or set DOCKER_HOST";
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(failure);
        if (failure is DockerConnectionException)
        {
            return failure.Message;
        }

        var endpoint = settings.Describe();
        if (!settings.UsesTls)
        {
            var tlsOnly = failure is DockerApiException api && (api.ResponseBody ?? "").Contains("HTTPS server", StringComparison.OrdinalIgnoreCase)
                || (settings.Endpoint.Scheme == "tcp" && failure is not DockerApiException
                    && await SpeaksTlsAsync(settings, cancellationToken).ConfigureAwait(false));
            return tlsOnly
                ? $"the engine at {endpoint} speaks TLS only: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder with its ca.pem and your cert.pem and key.pem"
                : Unreachable(endpoint, Reason(failure), remedy);
        }

        var handshake = await HandshakeAsync(settings, cancellationToken).ConfigureAwait(false);
        return handshake switch
        {
            { Refused: true } => Unreachable(endpoint, handshake.Detail ?? Reason(failure), remedy),
            { CertificateProblem: { } problem } =>
                $"the engine at {endpoint} is not the one {settings.CaFile} vouches for: {problem}. " +
                "Point DOCKER_CERT_PATH at the folder with the CA that signed the engine's certificate, or give the engine a certificate from that CA",
            { SpeaksPlainHttp: true } =>
                $"the engine at {endpoint} answers plain HTTP, not TLS: unset DOCKER_TLS_VERIFY to talk to it unencrypted, " +
                "or start dockerd with --tlsverify --tlscacert --tlscert --tlskey on that port",
            { Completed: false } =>
                $"the TLS handshake with the engine at {endpoint} failed ({handshake.Detail ?? Reason(failure)}): " +
                $"check that it speaks TLS on that port and accepts the client certificate {settings.CertFile} (signed by a CA it trusts)",
            _ => $"the engine at {endpoint} did not answer over TLS ({Reason(failure)}): " +
                $"check that it accepts the client certificate {settings.CertFile} (dockerd --tlsverify --tlscacert with the CA that signed it)",
        };
    }

    private static string Unreachable(string endpoint, string reason, string remedy) =>
        $"no Docker engine answers at {endpoint} ({reason}): {remedy}";

    private static string Reason(Exception failure) => failure switch
    {
        OperationCanceledException or TimeoutException => "no answer within 5 s",
        _ => failure.GetBaseException().Message,
    };

    private sealed record Handshake
    {
        public bool Refused { get; init; }
        public bool Completed { get; init; }
        public bool SpeaksPlainHttp { get; init; }
        public string? CertificateProblem { get; init; }
        public string? Detail { get; init; }
    }

    private static async Task<Handshake> HandshakeAsync(DockerConnectionSettings settings, CancellationToken cancellationToken)
    {
        using var certificates = DockerTlsCertificates.Load(settings);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(settings.Endpoint.Host, settings.Endpoint.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Handshake { Refused = true, Detail = e is SocketException s ? s.Message : "no answer within 3 s" };
        }

        string? rejected = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = settings.Endpoint.Host,
                    ClientCertificates = [certificates.Client],
                    RemoteCertificateValidationCallback = DockerServerCertificateCheck.Callback(certificates.Authorities, why => rejected = why),
                },
                timeout.Token).ConfigureAwait(false);
            return new Handshake { Completed = true };
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (rejected is not null)
            {
                return new Handshake { CertificateProblem = rejected };
            }

            var plain = await AnswersPlainHttpAsync(settings, cancellationToken).ConfigureAwait(false);
            return new Handshake { SpeaksPlainHttp = plain, Detail = e.GetBaseException().Message };
        }
    }

    /// <summary>Whether the endpoint opens a TLS handshake (shows a server certificate) when spoken to without TLS settings.</summary>
    private static async Task<bool> SpeaksTlsAsync(DockerConnectionSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        var sawCertificate = false;
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(settings.Endpoint.Host, settings.Endpoint.Port, timeout.Token).ConfigureAwait(false);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = settings.Endpoint.Host,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => sawCertificate = certificate is not null,
                },
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException
                                  && !cancellationToken.IsCancellationRequested)
        {
            // A server asking for a client certificate we do not have ends the handshake: the certificate was seen by then.
        }

        return sawCertificate;
    }

    /// <summary>Whether a plain HTTP request to the endpoint gets an HTTP answer (an engine without TLS on that port).</summary>
    private static async Task<bool> AnswersPlainHttpAsync(DockerConnectionSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(settings.Endpoint.Host, settings.Endpoint.Port, timeout.Token).ConfigureAwait(false);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /_ping HTTP/1.0\r\nHost: {settings.HostAndPort}\r\n\r\n"), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[5];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read == buffer.Length && Encoding.ASCII.GetString(buffer) == "HTTP/";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
