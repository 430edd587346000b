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
}
