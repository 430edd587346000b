using System.Text.Encodings.Web;
using Berth.Api;
using Berth.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Security;

/// <summary>
/// Authenticates API calls by bearer token (<c>Authorization: Bearer berth_…</c>) and answers refusals as JSON
/// <see cref="ErrorResponse"/>s: 401 says what was wrong with the credential, 403 which role the call needs.
/// </summary>
public sealed class TokenAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "BerthToken";
    private const string BearerPrefix = "Bearer ";

    private readonly TokenService _tokens;

    public TokenAuthenticationHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens)
        : base(options, logger, encoder)
    {
        _tokens = tokens;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Dashboard.DashboardRequest.Is(Context))
        {
            return AuthenticateResult.NoResult();
        }

        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            new AuthenticationAttempt(false, null, null).AttachTo(Context);
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse("the Authorization header must be 'Bearer <token>'", null);
        }

        var check = await _tokens.CheckAsync(header[BearerPrefix.Length..], Context.RequestAborted);
        if (!check.IsValid)
        {
            return Refuse(check.Reason!, check.TokenName);
        }

        new AuthenticationAttempt(true, null, check.TokenName).AttachTo(Context);
        return AuthenticateResult.Success(new AuthenticationTicket(BerthClaims.For(check.Token!), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Dashboard.DashboardRequest.Is(Context)
            ? Task.CompletedTask // the dashboard's own scheme answers its requests
            : AccessRefusal.WriteUnauthorizedAsync(
                Context, "send a token as 'Authorization: Bearer <token>' (an admin makes one with `berth token create`)", "Bearer realm=\"berth\"");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Dashboard.DashboardRequest.Is(Context) ? Task.CompletedTask : AccessRefusal.WriteForbiddenAsync(Context);

    private AuthenticateResult Refuse(string reason, string? tokenName)
    {
        new AuthenticationAttempt(true, reason, tokenName).AttachTo(Context);
        return AuthenticateResult.Fail(reason);
    }
}
