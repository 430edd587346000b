using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Dashboard;

/// <summary>
/// The dashboard's door, before routing: <c>/ui/api/v1/…</c> becomes <c>/api/v1/…</c> (same endpoints, same roles,
/// same audit) marked as a dashboard request, which the session cookie authenticates and a bearer header does not;
/// other <c>/ui/…</c> routes are marked too. Every dashboard call that changes something must carry the session's
/// CSRF token in <see cref="DashboardPaths.CsrfHeader"/> (signing in excepted: it has no session yet), or is refused
/// with 403 and audited.
/// </summary>
public sealed class DashboardGateway(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, DashboardSessions sessions, AuditLog audit)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(DashboardPaths.Prefix) || request.Path.StartsWithSegments(DashboardPaths.Assets))
        {
            await next(context);
            return;
        }

        DashboardRequest.Mark(context);
        request.Headers.Authorization = default;
        var signingIn = request.Path.Equals(DashboardPaths.Session, StringComparison.Ordinal) && HttpMethods.IsPost(request.Method);
        if (AuditMiddleware.IsChange(request) && !signingIn)
        {
            var session = sessions.Find(request.Cookies[DashboardPaths.Cookie]);
            if (session is not null && !DashboardSessions.CsrfMatches(session, request.Headers[DashboardPaths.CsrfHeader]))
            {
                await RefuseAsync(context, audit);
                return;
            }
        }

        if (request.Path.StartsWithSegments(DashboardPaths.Api, out var rest))
        {
            request.Path = new PathString("/api").Add(rest);
        }

        await next(context);
    }

    private static async Task RefuseAsync(HttpContext context, AuditLog audit)
    {
        const string Message = "refused: the request does not carry this dashboard session's CSRF token (" + DashboardPaths.CsrfHeader + "); reload the page";
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(new ErrorResponse(Message), ApiJson.Options);
        await audit.RecordAsync(
            "anonymous", null, "dashboard.csrf", context.Request.Path, StatusCodes.Status403Forbidden,
            context.Connection.RemoteIpAddress?.ToString(), "CSRF token missing or wrong", CancellationToken.None);
    }
}
