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

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var attempt = AuthenticationAttempt.Of(Context);
        var message = attempt?.FailureReason is { } reason
            ? $"authentication failed: {reason}"
            : "authentication required: send a token as 'Authorization: Bearer <token>' (an admin makes one with `berth token create`)";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = attempt?.Presented == true ? "Bearer realm=\"berth\", error=\"invalid_token\"" : "Bearer realm=\"berth\"";
        await Response.WriteAsJsonAsync(new ErrorResponse(message), ApiJson.Options);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var name = BerthClaims.NameOf(Context.User) ?? "?";
        var role = BerthClaims.RoleOf(Context.User) is { } r ? RolePermissions.Name(r) : "?";
        var message = Context.AccessRule() is { Permission: { } permission } rule
            ? $"permission denied: token '{name}' has the {role} role; {rule.Action} needs {RolePermissions.RolesAllowed(permission)}"
            : $"permission denied: token '{name}' ({role}) may not call this endpoint";
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new ErrorResponse(message), ApiJson.Options);
    }

    private AuthenticateResult Refuse(string reason, string? tokenName)
    {
        new AuthenticationAttempt(true, reason, tokenName).AttachTo(Context);
        return AuthenticateResult.Fail(reason);
    }
}
