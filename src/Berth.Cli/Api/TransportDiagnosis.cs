using System.Security.Authentication;

namespace Berth.Cli.Api;

/// <summary>Turns a failed connection into a message that says what to change, when TLS is the cause (else null: "unreachable").</summary>
public static class TransportDiagnosis
{
    public static ServerTrustException? Explain(Uri host, HttpRequestException failure, ServerTrust? trust)
    {
        var display = BerthApiClient.Display(host);
        var authentication = Find<AuthenticationException>(failure);
        if (host.Scheme == Uri.UriSchemeHttps && authentication is not null)
        {
            if (trust?.LastRefusal is { } refusal)
            {
                return new ServerTrustException($"Cannot trust the Berth server at {display}: {refusal}. Check --tls-ca (or the context's) names the CA that signed it.", failure);
            }

            if (IsNotTls(authentication))
            {
                return new ServerTrustException($"The server at {display} does not answer with TLS; if it serves plain HTTP, use http:// instead of https://.", failure);
            }

            return new ServerTrustException(
                $"Cannot trust the Berth server at {display}: {authentication.Message.TrimEnd('.')}. " +
                "If its certificate comes from your own CA, give that CA's PEM file with --tls-ca FILE (or `berth context create ... --tls-ca FILE`).",
                failure);
        }

        if (host.Scheme == Uri.UriSchemeHttps && Find<IOException>(failure) is { } tlsIo && IsNotTls(tlsIo))
        {
            return new ServerTrustException($"The server at {display} does not answer with TLS; if it serves plain HTTP, use http:// instead of https://.", failure);
        }

        if (host.Scheme == Uri.UriSchemeHttp && Find<HttpIOException>(failure) is { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse })
        {
            return new ServerTrustException(
                $"The server at {display} closed the connection without an HTTP answer; if it serves TLS, use https:// instead of http://.", failure);
        }

        return null;
    }

    private static bool IsNotTls(Exception exception) =>
        exception.Message.Contains("frame", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("wrong version number", StringComparison.OrdinalIgnoreCase)
        || exception.InnerException is { } inner && IsNotTls(inner);

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
