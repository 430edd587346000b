using System.Globalization;
using System.Net;
using Berth.Api;
using Berth.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Security;

/// <summary>
/// Answers 429 with Retry-After to an address locked out by <see cref="AuthenticationThrottle"/>, and counts the
/// failed authentications of the others. Public endpoints (the liveness probe) are never refused.
/// </summary>
public sealed class AuthenticationThrottleMiddleware
{
    private readonly RequestDelegate _next;

    public AuthenticationThrottleMiddleware(RequestDelegate next)
    {
        _next = next;
    }

    public async Task InvokeAsync(HttpContext context, AuthenticationThrottle throttle, AuditLog audit)
    {
        if (context.AccessRule() is { Permission: null })
        {
            await _next(context);
            return;
        }

        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (throttle.LockedFor(address) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(
                new ErrorResponse($"too many failed authentications from {address}; try again in {seconds} s"), ApiJson.Options);
            return;
        }

        await _next(context);

        var attempt = AuthenticationAttempt.Of(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized
            && (attempt?.Presented == true || AuditMiddleware.IsChange(context.Request))
            && throttle.RecordFailure(address) is { } lockout)
        {
            await audit.RecordAsync(
                attempt?.TokenName ?? "anonymous",
                null,
                "auth.lockout",
                address.ToString(),
                StatusCodes.Status429TooManyRequests,
                address.ToString(),
                $"too many failed authentications; refused for {Engine.DurationText.Format(lockout)}",
                CancellationToken.None);
        }
    }
}
