using System.Net;
using Berth.Api;

namespace Berth.Cli.Api;

/// <summary>The server answered with a non-2xx status; carries its <see cref="ErrorResponse"/> body.</summary>
public sealed class BerthApiException : Exception
{
    public BerthApiException(HttpStatusCode statusCode, ErrorResponse error)
        : base(error.Error)
    {
        StatusCode = statusCode;
        Error = error;
    }

    public HttpStatusCode StatusCode { get; }

    public ErrorResponse Error { get; }

    /// <summary>Where the token sent came from (for 401/403 messages): "BERTH_TOKEN", "context 'prod' (...)", "no token".</summary>
    public string? CredentialSource { get; init; }

    /// <summary>The server's Retry-After on a 429.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>401, 403 or 429: access control turned the call away.</summary>
    public bool IsAccessRefusal => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests;
}
