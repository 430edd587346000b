using System.Text.Encodings.Web;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Dashboard;

/// <summary>
/// Authenticates the dashboard's requests (those <see cref="DashboardGateway"/> marked) by their session cookie. The
/// session's token is checked again on every call, so revoking it or its expiry ends the session; the request then
/// carries that token's name and role, exactly as a bearer call with it would.
/// </summary>
public sealed class DashboardAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DashboardSessions sessions, TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BerthDashboard";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!DashboardRequest.Is(Context))
        {
            return AuthenticateResult.NoResult();
        }

        var id = Request.Cookies[DashboardPaths.Cookie];
        if (string.IsNullOrEmpty(id))
        {
            new AuthenticationAttempt(false, null, null).AttachTo(Context);
            return AuthenticateResult.NoResult();
        }

        if (sessions.Find(id) is not { } session)
        {
            new AuthenticationAttempt(true, "the dashboard session has ended; sign in again", null).AttachTo(Context);
            return AuthenticateResult.Fail("session ended");
        }

        var check = await tokens.CheckAsync(session.Token, Context.RequestAborted);
        if (!check.IsValid)
        {
            sessions.End(id);
            new AuthenticationAttempt(true, check.Reason, check.TokenName).AttachTo(Context);
            return AuthenticateResult.Fail(check.Reason!);
        }

        new AuthenticationAttempt(true, null, check.TokenName).AttachTo(Context);
        return AuthenticateResult.Success(new AuthenticationTicket(BerthClaims.For(check.Token!), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        DashboardRequest.Is(Context) ? AccessRefusal.WriteUnauthorizedAsync(Context, "sign in to the dashboard with a token", null) : Task.CompletedTask;

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        DashboardRequest.Is(Context) ? AccessRefusal.WriteForbiddenAsync(Context) : Task.CompletedTask;
}
