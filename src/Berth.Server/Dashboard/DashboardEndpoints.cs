using System.Net;
using Berth.Api;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Dashboard;

/// <summary>The dashboard's page and assets (public), its sign-in and sign-out, its board and its live stream (session cookie).</summary>
internal static class DashboardEndpoints
{
    /// <summary>Only this server's own files and calls: no inline script, no frame, nothing from elsewhere.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(DashboardPaths.Page, (HttpContext context, DashboardAssets assets) => Serve(context, assets, "index.html"))
            .Public("dashboard.page");
        app.MapGet(DashboardPaths.Assets + "/{name}", (string name, HttpContext context, DashboardAssets assets) => Serve(context, assets, name))
            .Public("dashboard.asset");

        app.MapPost(DashboardPaths.Session, SignInAsync).Public("dashboard.signin");
        app.MapGet(DashboardPaths.Session, (HttpContext context, DashboardSessions sessions) =>
            Describe(sessions.Find(context.Request.Cookies[DashboardPaths.Cookie])!, context))
            .Requires(BerthPermission.Read, "dashboard.session");
        // Signing out needs no valid token (an expired one must still be able to end its session); the gateway still
        // requires the session's CSRF token, so another site cannot sign a user out.
        app.MapDelete(DashboardPaths.Session, (HttpContext context, DashboardSessions sessions) =>
        {
            sessions.End(context.Request.Cookies[DashboardPaths.Cookie]);
            context.Response.Cookies.Delete(DashboardPaths.Cookie, CookieFor(context, null));
            return Results.NoContent();
        })
            .Public("dashboard.signout");

        app.MapGet(DashboardPaths.Overview, (DashboardQueries queries, CancellationToken ct) => queries.GetOverviewAsync(ct))
            .Requires(BerthPermission.Read, "dashboard.overview");
        app.MapGet(DashboardPaths.Live, DashboardLive.StreamAsync)
            .Requires(BerthPermission.Read, "dashboard.live");
    }

    private static async Task<IResult> SignInAsync(
        SignInRequest? request, HttpContext context, TokenService tokens, DashboardSessions sessions, AuthenticationThrottle throttle, IOptions<DashboardOptions> options)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (throttle.LockedFor(address) is { } wait)
        {
            context.Response.Headers[HeaderNames.RetryAfter] = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(new ErrorResponse($"too many failed sign-ins from {address}; try again in {Math.Ceiling(wait.TotalSeconds)} s"), ApiJson.Options, statusCode: 429);
        }

        if (string.IsNullOrWhiteSpace(request?.Token))
        {
            return Results.Json(new ErrorResponse("sign in with a token: {\"token\": \"berth_…\"} (an admin makes one with `berth token create NAME --role viewer`)"), ApiJson.Options, statusCode: 400);
        }

        var check = await tokens.CheckAsync(request.Token.Trim(), context.RequestAborted);
        if (!check.IsValid)
        {
            new AuthenticationAttempt(true, check.Reason, check.TokenName).AttachTo(context);
            throttle.RecordFailure(address);
            return Results.Json(new ErrorResponse($"sign-in refused: {check.Reason}"), ApiJson.Options, statusCode: 401);
        }

        if (check.Token!.Role is BerthRole.Router)
        {
            return Results.Json(new ErrorResponse("sign-in refused: a router token cannot open the dashboard; use a viewer, deployer, approver or admin token"), ApiJson.Options, statusCode: 403);
        }

        var session = sessions.Create(request.Token.Trim());
        context.User = BerthClaims.For(check.Token);
        context.Response.Cookies.Append(DashboardPaths.Cookie, session.Id, CookieFor(context, options.Value.MaxAge));
        return Results.Json(Describe(session, context), ApiJson.Options);
    }

    private static DashboardSessionInfo Describe(DashboardSession session, HttpContext context)
    {
        var role = BerthClaims.RoleOf(context.User) ?? BerthRole.Viewer;
        var expires = context.User.FindFirst(System.Security.Claims.ClaimTypes.Expiration)?.Value is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        return new DashboardSessionInfo(
            BerthClaims.NameOf(context.User) ?? "?",
            RolePermissions.Name(role),
            expires,
            session.Csrf,
            RolePermissions.Allows(role, BerthPermission.Deploy),
            RolePermissions.Allows(role, BerthPermission.Approve),
            RolePermissions.Allows(role, BerthPermission.Administer));
    }

    private static CookieOptions CookieFor(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = DashboardPaths.Prefix,
        MaxAge = maxAge,
        IsEssential = true,
    };

    private static IResult Serve(HttpContext context, DashboardAssets assets, string name)
    {
        if (assets.Find(name) is not { } asset)
        {
            return Results.Json(new ErrorResponse($"no dashboard file named {name}"), ApiJson.Options, statusCode: 404);
        }

        var headers = context.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.XFrameOptions] = "DENY";
        headers[HeaderNames.CacheControl] = "no-cache";
        headers[HeaderNames.ETag] = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
